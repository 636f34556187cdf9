package dev.tally.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses a JSON body into its request record. Every way a body can be malformed (not JSON, too
 * deep, a key, string or number past its bound (R64), a field of the wrong type) ends here as a
 * 400 with a specific code, before any use case runs; {@link RequestFields} then checks the values.
 * A field the request does not know is refused as {@code unknown_field}, naming it and the known
 * name it most likely meant, since a misspelt limit silently dropped would be a plan without it.
 */
final class RequestBody {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** The user a request's fields are checked for, one at a time, before the request is used. */
    static final UserId CHECKED_USER = new UserId("checked");

    private RequestBody() {
    }

    /** The body as {@code type}; an empty body is refused. */
    static <T> T read(Context ctx, Class<T> type) {
        return parse(ctx.bodyAsBytes(), type).orElseThrow(() ->
                ApiException.badRequest("body_required", "This request needs a JSON object body."));
    }

    /** The body as {@code type}, or empty when the client sent no body at all. */
    static <T> Optional<T> readOptional(Context ctx, Class<T> type) {
        return parse(ctx.bodyAsBytes(), type);
    }

    /** A request that takes no body: none, or {@code {}}; any field in one is {@code unknown_field}. */
    static void none(Context ctx) {
        parse(ctx.bodyAsBytes(), NoFields.class);
    }

    /**
     * A request whose top-level fields can each be checked on their own: {@link #parse} checks
     * them in the order the client wrote them, so that of several invalid fields the first one
     * written is named, on every server and run (R64). Rules that tie several fields together,
     * and those that need stored state, run afterwards, when the request is used.
     */
    interface FieldChecks {

        /** Refuses the value sent for the top-level field {@code name} (its JSON name) if it is invalid on its own. */
        void checkField(String name);
    }

    /**
     * {@code request} with every top-level field but the one named {@code name} (its JSON name)
     * left out: converting it checks that field alone, for a request whose fields are all optional.
     */
    static <T extends Record> T only(T request, String name) {
        return only(request, name, null);
    }

    /**
     * {@code valid}, a request known to pass, with the field named {@code name} (its JSON name)
     * taken from {@code request}: converting it checks that field alone.
     */
    static <T extends Record> T only(T request, String name, T valid) {
        RecordComponent[] components = request.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                Object from = jsonName(components[i]).equals(name) ? request : valid;
                values[i] = from == null ? null : components[i].getAccessor().invoke(from);
            }
            Constructor<? extends Record> canonical = request.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            @SuppressWarnings("unchecked")
            T alone = (T) canonical.newInstance(values);
            return alone;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + request.getClass().getSimpleName(), e);
        }
    }

    /** The body of a request that has no fields. */
    private record NoFields() {
    }

    static <T> Optional<T> parse(byte[] bytes, Class<T> type) {
        if (BoundedInput.blank(bytes)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = Json.mapper().readTree(bytes);
            if (!(tree instanceof ObjectNode written)) {
                BoundedInput.check(tree, "");
                T value = Json.mapper().readerFor(type).readValue(tree);
                if (value == null) {
                    throw ApiException.badRequest("invalid_body", "The body must be a JSON object, not null.");
                }
                return Optional.of(value);
            }
            return Optional.of(bind(written, type));
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("malformed_json", "The body is nested too deeply or has too long a number.");
        } catch (UnrecognizedPropertyException e) {
            throw unknownField(e);
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            if (field.isEmpty()) {
                throw ApiException.badRequest("invalid_body", "The body must be a JSON object.");
            }
            throw ApiException.badField("invalid_field_type", field,
                    "Field '" + field + "' has the wrong type" + expected(e) + ".");
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw ApiException.badField("invalid_field_type", field, "Field '" + field + "' is out of range.");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "The body is not valid JSON: "
                    + BoundedInput.echo(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "The body could not be read.");
        }
    }

    /**
     * The body as {@code type}, each top-level field checked in full (its bounds, R64, then its
     * name and type, then its value) before the next one in the order the client wrote them; of
     * several invalid fields, the first one written is the one refused. Every key, string and
     * number of a field is checked before any of them is converted or used.
     */
    private static <T> T bind(ObjectNode written, Class<T> type) throws IOException {
        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        for (int i = 0; i < names.size(); i++) {
            try {
                BoundedInput.check(Json.mapper().createObjectNode().set(names.get(i), written.get(names.get(i))), "");
            } catch (ApiException e) {
                bind(before(written, names, i), type);
                throw e;
            }
        }
        T value;
        try {
            value = Json.mapper().readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(written);
        } catch (JsonMappingException e) {
            int at = e.getPath().isEmpty() ? -1 : names.indexOf(e.getPath().get(0).getFieldName());
            if (at > 0) {
                bind(before(written, names, at), type);
            }
            throw e;
        }
        checkFields(value, written);
        return value;
    }

    /**
     * Runs the checks of {@code value}'s fields in the order {@code written} has them; a field that
     * is an object with checks of its own has those run first, in the order written inside it.
     */
    private static void checkFields(Object value, ObjectNode written) {
        if (!(value instanceof FieldChecks checks)) {
            return;
        }
        written.fieldNames().forEachRemaining(name -> {
            if (written.get(name) instanceof ObjectNode inner) {
                checkFields(component(value, name), inner);
            }
            checks.checkField(name);
        });
    }

    /** The value of the component of {@code request} whose JSON name is {@code name}, or null if none. */
    private static Object component(Object request, String name) {
        for (RecordComponent component : request.getClass().getRecordComponents()) {
            if (jsonName(component).equals(name)) {
                try {
                    return component.getAccessor().invoke(request);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + name, e);
                }
            }
        }
        return null;
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        return renamed != null ? renamed.value() : SNAKE_CASE.translate(component.getName());
    }

    /** The fields written before the one at {@code index}. */
    private static ObjectNode before(ObjectNode written, List<String> names, int index) {
        ObjectNode prefix = Json.mapper().createObjectNode();
        names.subList(0, index).forEach(name -> prefix.set(name, written.get(name)));
        return prefix;
    }

    private static ApiException unknownField(UnrecognizedPropertyException e) {
        String field = fieldPath(e);
        String sent = e.getPropertyName();
        List<String> known = e.getKnownPropertyIds() == null ? List.of()
                : e.getKnownPropertyIds().stream().map(Objects::toString).sorted().toList();
        String hint = ClosestName.among(sent, known).map(name -> " Did you mean '" + name + "'?")
                .orElse(known.isEmpty() ? "" : " Known fields: " + String.join(", ", known) + ".");
        return ApiException.badField("unknown_field", field,
                "Field '" + BoundedInput.echo(field) + "' is not a field of this request." + hint);
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
            return Long.class.equals(target) || Integer.class.equals(target) ? ": expected a whole number"
                    : ": expected a number";
        }
        if (String.class.equals(target)) {
            return ": expected a string";
        }
        if (Boolean.class.equals(target) || boolean.class.equals(target)) {
            return ": expected true or false";
        }
        if (List.class.isAssignableFrom(target)) {
            return ": expected an array";
        }
        return ": expected an object";
    }

    /** The JSON path of the failing field, e.g. {@code records[2].quantity}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
