package dev.hpsweep.cli;

import dev.hpsweep.space.InputException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.util.Collections;

/**
 * A HOST:PORT given on the command line for the cluster: the address a coordinator listens on
 * ({@code --cluster}) or that a worker joins ({@code --join}). A coordinator given 0.0.0.0 listens on
 * every interface and tells workers this machine's address; the address workers join with must be
 * the one the coordinator calls itself (Akka drops messages addressed otherwise).
 */
record ClusterAddress(String host, int port) {
    static final int DEFAULT_PORT = 25520;

    static ClusterAddress parse(String option, String text) {
        String host = text;
        int port = DEFAULT_PORT;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new InputException(option, 0, 0, null, "expected HOST:PORT (say 127.0.0.1:" + DEFAULT_PORT
                + " or 0.0.0.0:" + DEFAULT_PORT + "), but got '" + text + "'");
        }
        return new ClusterAddress(host, port);
    }

    boolean anyInterface() {
        return host.equals("0.0.0.0") || host.equals("::");
    }

    /** The address other machines reach this one at: the given host, or for 0.0.0.0 this machine's own. */
    String advertised() {
        if (!anyInterface()) {
            return host;
        }
        // Not InetAddress.getLocalHost(): Debian maps the host name to 127.0.1.1, which no other machine reaches.
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    /** This machine's address on the route to {@code this} (a worker's own address for its coordinator). */
    String localAddressTowards() {
        try {
            InetAddress target = InetAddress.getByName(host);
            if (target.isLoopbackAddress()) {
                return "127.0.0.1";
            }
            try (DatagramSocket probe = new DatagramSocket()) {
                probe.connect(new InetSocketAddress(target, port));
                return probe.getLocalAddress().getHostAddress();
            }
        } catch (IOException e) {
            throw new InputException("--join", 0, 0, null, "cannot find a route to " + host + ":" + port + ": "
                + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
