package org.borderwatch.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders Avro records as plain Java maps, lists, strings, numbers and booleans, in the field names of the schema,
 * so that any JSON library prints them the way the HTTP API accepts them: instants as ISO-8601 strings, UUIDs and
 * enums as strings, unions as their value (not Avro-JSON's {@code {"string": ...}} wrapping), bytes as base64.
 */
public final class AvroMaps {

    private AvroMaps() {
    }

    public static Map<String, Object> toMap(final IndexedRecord record) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (final Schema.Field field : record.getSchema().getFields()) {
            map.put(field.name(), plain(record.get(field.pos())));
        }
        return map;
    }

    private static Object plain(final Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof IndexedRecord record) {
            return toMap(record);
        }
        if (value instanceof Instant || value instanceof CharSequence || value instanceof java.util.UUID
                || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            final ByteBuffer copy = buffer.duplicate();
            final byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            final Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), plain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            final List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(plain(item)));
            return out;
        }
        return value.toString();
    }
}
