package dev.hpsweep.space;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.hpsweep.space.LocatedNode.Mapping;
import dev.hpsweep.space.LocatedNode.Origin;
import dev.hpsweep.space.LocatedNode.Scalar;
import dev.hpsweep.space.LocatedNode.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML or JSON with Jackson's streaming parser into a {@link LocatedNode} tree, keeping
 * each token's start location. Syntax errors, duplicate keys, YAML aliases and a second document
 * become {@link InputException}s located where the parser saw them.
 */
final class LocatedTreeReader {
    enum Format { YAML, JSON }

    private final String source;
    private final Format format;

    private LocatedTreeReader(String source, Format format) {
        this.source = source;
        this.format = format;
    }

    /** The whole document; an empty (or comment-only) file is an error. */
    static LocatedNode read(String source, byte[] content, Format format) {
        return new LocatedTreeReader(source, format).readDocument(content);
    }

    private LocatedNode readDocument(byte[] content) {
        JsonFactory factory = format == Format.YAML ? new YAMLFactory() : new JsonFactory();
        try (JsonParser parser = factory.createParser(content)) {
            if (parser.nextToken() == null) {
                throw new InputException(source, 0, 0, null, "the file is empty; a search space needs at least "
                        + "name, dataset, model, objective, epochs and search");
            }
            LocatedNode root = readValue(parser, "");
            if (parser.nextToken() != null) {
                Origin extra = origin(parser, "");
                throw extra.error("unexpected content after the end of the first document; "
                        + "a search-space file holds exactly one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new InputException(source, 0, 0, null, "cannot read the file: " + e.getMessage());
        }
    }

    private LocatedNode readValue(JsonParser parser, String path) throws IOException {
        Origin origin = origin(parser, path);
        JsonToken token = parser.currentToken();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // Jackson's streaming YAML parser hands an alias back as the anchor's name, a silent wrong value.
            throw origin.error("YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
        }
        return switch (token) {
            case START_OBJECT -> readMapping(parser, origin);
            case START_ARRAY -> readSequence(parser, origin);
            case VALUE_STRING -> new Scalar(origin, Scalar.Type.STRING, parser.getText(), parser.getText());
            case VALUE_NUMBER_INT -> new Scalar(origin, Scalar.Type.INTEGER, parser.getText(), parser.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new Scalar(origin, Scalar.Type.FLOAT, parser.getText(), parser.getDoubleValue());
            case VALUE_TRUE -> new Scalar(origin, Scalar.Type.BOOLEAN, parser.getText(), Boolean.TRUE);
            case VALUE_FALSE -> new Scalar(origin, Scalar.Type.BOOLEAN, parser.getText(), Boolean.FALSE);
            case VALUE_NULL -> new Scalar(origin, Scalar.Type.NULL, "null", null);
            default -> throw origin.error("unsupported value (" + token + "); use mappings, lists, strings, "
                    + "numbers and booleans");
        };
    }

    private Mapping readMapping(JsonParser parser, Origin origin) throws IOException {
        Map<String, Mapping.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Origin keyOrigin = origin(parser, origin.childPath(key));
            Mapping.Entry first = entries.get(key);
            if (first != null) {
                throw keyOrigin.error("duplicate key '" + key + "' (first at line " + first.keyOrigin().line()
                        + "); each key may appear once");
            }
            parser.nextToken();
            entries.put(key, new Mapping.Entry(key, keyOrigin, readValue(parser, keyOrigin.path())));
        }
        return new Mapping(origin, entries.values());
    }

    private Sequence readSequence(JsonParser parser, Origin origin) throws IOException {
        List<LocatedNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser, origin.elementPath(items.size())));
        }
        return new Sequence(origin, items);
    }

    private Origin origin(JsonParser parser, String path) {
        JsonLocation at = parser.currentTokenLocation();
        return new Origin(source, Math.max(0, at.getLineNr()), Math.max(0, at.getColumnNr()), path);
    }

    @SuppressWarnings("deprecation") // the only Jackson API exposing SnakeYAML's problem position; see below
    private InputException syntaxError(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            // For scanner errors (a tab used for indentation, say) the parser's own location is that of
            // the previous token; SnakeYAML's problem mark (0-based) points at the offending character.
            var mark = marked.getProblemMark();
            String rule = "YAML syntax error: " + oneLine(marked.getProblem())
                    + (marked.getContext() != null ? " (" + oneLine(marked.getContext()) + ")" : "");
            return new InputException(source, mark.getLine() + 1, mark.getColumn() + 1, null, rule);
        }
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : Math.max(0, at.getLineNr());
        int column = at == null ? 0 : Math.max(0, at.getColumnNr());
        return new InputException(source, line, column, null, format + " syntax error: " + oneLine(e.getOriginalMessage()));
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
