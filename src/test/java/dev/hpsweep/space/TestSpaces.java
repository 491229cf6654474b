package dev.hpsweep.space;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Fixture search-space files under src/test/resources/spaces. */
final class TestSpaces {
    private TestSpaces() {
    }

    static Path path(String name) {
        URL url = TestSpaces.class.getResource("/spaces/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture spaces/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SearchSpace load(String name) {
        return SearchSpaceLoader.load(path(name));
    }
}
