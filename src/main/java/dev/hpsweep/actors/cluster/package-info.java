/**
 * The several-machine protocol: the Akka Cluster settings of the coordinator and worker JVMs
 * ({@link dev.hpsweep.actors.cluster.ClusterSettings}), the messages that cross JVMs (marked
 * {@link dev.hpsweep.actors.cluster.Wire}, serialized with Jackson) and the acknowledged, chunked
 * channel that carries every trial message between them ({@link dev.hpsweep.actors.cluster.Outbox},
 * {@link dev.hpsweep.actors.cluster.Inbox}), since Artery drops messages over 256 KiB. Imports Akka
 * and the plain packages.
 */
package dev.hpsweep.actors.cluster;
