package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OpenAPI document the server serves at {@code /openapi.json}, as a judge of one exchange:
 * every request the tests send and every answer the server gives is checked against it, so the
 * document cannot drift from what the server does. Schemas are judged by networknt's
 * json-schema-validator in the OpenAPI 3.1 dialect, with {@code format} asserted; this class only
 * finds which schema of the document applies to which part of an exchange.
 *
 * <p>Two directions are checked. An answer must be one the operation documents (its status, its
 * media type, a body its schema accepts, its required headers). A request the document refuses
 * must not succeed: the server may refuse more than the schemas can say (a plan that does not
 * exist), but never accept what the document forbids.
 */
final class OpenApiContract {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");

    /** The document the server serves, from the same resource it serves it from. */
    static final OpenApiContract SERVED = new OpenApiContract("classpath:dev/tally/adapter/http/openapi.json");

    private final String location;
    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenApiContract(String location) {
        this.location = location;
        try (var in = OpenApiContract.class.getResourceAsStream("/" + location.substring("classpath:".length()))) {
            document = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), registry -> registry
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        document.path("paths").fieldNames().forEachRemaining(path -> templates.add(Template.of(path)));
        // A path without parameters wins over a template that would also match it (OpenAPI's rule).
        templates.sort(Comparator.comparingInt(Template::parameters));
    }

    /** One exchange as the client saw it; {@code target} is the path and query as sent. */
    record Exchange(String method, String target, Map<String, List<String>> requestHeaders, byte[] requestBody,
                    int status, Map<String, List<String>> responseHeaders, String responseBody) {
    }

    /**
     * What the document says is wrong with this exchange, in words for a failing test; empty when
     * it agrees with the server.
     */
    List<String> problems(Exchange exchange) {
        int question = exchange.target().indexOf('?');
        String rawPath = question < 0 ? exchange.target() : exchange.target().substring(0, question);
        if (rawPath.length() > 1 && rawPath.endsWith("/")) {
            // The server, like Javalin by default, serves /v1/plans/ as /v1/plans.
            rawPath = rawPath.substring(0, rawPath.length() - 1);
        }
        String rawQuery = question < 0 ? null : exchange.target().substring(question + 1);
        Optional<Matched> matched = match(exchange.method(), rawPath);
        List<String> problems = new ArrayList<>();
        if (matched.isEmpty()) {
            // An undocumented route is not served: the same error body as any refusal.
            // A target holding an encoded control character (%00) is unreadable, and refused as 400 before routing.
            boolean unreadable = exchange.status() == 400 && rawPath.matches("(?i).*%[01][0-9a-f].*");
            if (exchange.status() != 404 && exchange.status() != 405 && !unreadable) {
                problems.add("no operation " + exchange.method() + " " + rawPath + " is documented, yet the server"
                        + " answered " + exchange.status());
            }
            problems.addAll(json("response body", exchange.responseBody(), "#/components/schemas/Error"));
            return problems;
        }
        Matched operation = matched.get();
        List<String> refused = requestProblems(operation, rawQuery, exchange);
        if (!refused.isEmpty() && exchange.status() < 400) {
            refused.forEach(problem -> problems.add("the document refuses the request (" + problem
                    + "), yet the server answered " + exchange.status()));
        }
        problems.addAll(responseProblems(operation, exchange));
        return problems;
    }

    private List<String> requestProblems(Matched operation, String rawQuery, Exchange exchange) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> query;
        try {
            query = query(rawQuery);
        } catch (IllegalArgumentException e) {
            return List.of("the query string does not decode: " + e.getMessage());
        }
        for (Map.Entry<String, JsonNode> parameter : operation.parameters().entrySet()) {
            JsonNode declared = parameter.getValue();
            String name = declared.path("name").asText();
            String in = declared.path("in").asText();
            String value = switch (in) {
                case "path" -> operation.pathValues().get(name);
                case "query" -> Optional.ofNullable(query.get(name)).map(values -> values.get(0)).orElse(null);
                case "header" -> header(exchange.requestHeaders(), name);
                default -> null;
            };
            if (value == null) {
                if (declared.path("required").asBoolean(false)) {
                    problems.add(in + " parameter " + name + " is required");
                }
                continue;
            }
            JsonNode schema = resolve(declared.path("schema"));
            problems.addAll(validate(in + " parameter " + name, typed(value, schema),
                    parameter.getKey() + "/schema"));
        }
        JsonNode body = resolve(operation.node().path("requestBody"));
        byte[] sent = exchange.requestBody() == null ? new byte[0] : exchange.requestBody();
        if (body.isMissingNode() || BoundedInput.blank(sent)) {
            if (body.path("required").asBoolean(false)) {
                problems.add("a request body is required");
            }
            return problems;
        }
        String contentType = mediaType(header(exchange.requestHeaders(), "Content-Type"));
        if (!body.path("content").has(contentType)) {
            problems.add("request body of type '" + contentType + "', documented: "
                    + fieldNames(body.path("content")));
            return problems;
        }
        String pointer = located(operation.node().path("requestBody"), operation.pointer() + "/requestBody")
                + "/content/" + escape(contentType) + "/schema";
        problems.addAll(json("request body", new String(sent, StandardCharsets.UTF_8), pointer));
        return problems;
    }

    private List<String> responseProblems(Matched operation, Exchange exchange) {
        String status = String.valueOf(exchange.status());
        JsonNode responses = operation.node().path("responses");
        String key = Stream.of(status, status.charAt(0) + "XX", "default").filter(responses::has).findFirst()
                .orElse(null);
        if (key == null) {
            return List.of("status " + status + " is not documented for " + operation.label() + " (documented: "
                    + fieldNames(responses) + ")");
        }
        String at = operation.pointer() + "/responses/" + key;
        JsonNode response = resolve(responses.path(key));
        String responsePointer = located(responses.path(key), at);
        List<String> problems = new ArrayList<>();
        response.path("headers").fields().forEachRemaining(header -> {
            JsonNode declared = resolve(header.getValue());
            String value = header(exchange.responseHeaders(), header.getKey());
            if (value == null) {
                if (declared.path("required").asBoolean(false)) {
                    problems.add("response header " + header.getKey() + " is required");
                }
                return;
            }
            problems.addAll(validate("response header " + header.getKey(), typed(value, resolve(declared.path("schema"))),
                    located(header.getValue(), at + "/headers/" + escape(header.getKey())) + "/schema"));
        });
        JsonNode content = response.path("content");
        String body = exchange.responseBody() == null ? "" : exchange.responseBody();
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                problems.add("status " + status + " is documented without a body (" + at + "), yet one came");
            }
            return problems;
        }
        String contentType = mediaType(header(exchange.responseHeaders(), "Content-Type"));
        if (!content.has(contentType)) {
            problems.add("response of type '" + contentType + "', documented: " + fieldNames(content));
            return problems;
        }
        if (contentType.equals("application/json")) {
            problems.addAll(json("response body", body, responsePointer + "/content/" + escape(contentType)
                    + "/schema"));
        }
        return problems;
    }

    private List<String> json(String what, String text, String pointer) {
        JsonNode value;
        try {
            value = MAPPER.readTree(text);
        } catch (IOException e) {
            return List.of(what + " is not JSON");
        }
        if (value == null || value.isMissingNode()) {
            return List.of(what + " is empty");
        }
        return validate(what, value, pointer);
    }

    private List<String> validate(String what, JsonNode value, String pointer) {
        if (document.at(pointer.substring(1)).isMissingNode()) {
            // The document names a media type without a schema: any value of it will do.
            return List.of();
        }
        Schema schema = compiled.computeIfAbsent(pointer, at -> schemas.getSchema(SchemaLocation.of(location + at)));
        List<String> problems = new ArrayList<>();
        List<Error> errors;
        try {
            errors = schema.validate(value);
        } catch (NumberFormatException e) {
            // 1e400 read as a double is infinite, which the validator cannot compare: past any bound.
            return List.of(what + " holds a number past any bound the document states");
        }
        for (Error error : errors) {
            problems.add(what + " " + error.getInstanceLocation() + ": " + error.getMessage() + " (schema " + pointer
                    + ", " + error.getEvaluationPath() + ")");
        }
        return problems;
    }

    /** A parameter's text as the JSON value its schema speaks of: a number or a boolean where it says so. */
    private static JsonNode typed(String value, JsonNode schema) {
        JsonNode type = schema.path("type");
        boolean numeric = type.toString().contains("integer") || type.toString().contains("number");
        if (numeric) {
            try {
                return JsonNodeFactory.instance.numberNode(new BigDecimal(value));
            } catch (NumberFormatException e) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        if (type.toString().contains("boolean") && (value.equals("true") || value.equals("false"))) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value));
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private Optional<Matched> match(String method, String rawPath) {
        String operationKey = method.toLowerCase(Locale.ROOT);
        for (Template template : templates) {
            Matcher matcher = template.pattern().matcher(rawPath);
            if (!matcher.matches()) {
                continue;
            }
            JsonNode item = document.path("paths").path(template.path());
            if (!item.has(operationKey)) {
                return Optional.empty();
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < template.names().size(); i++) {
                String raw = matcher.group(i + 1);
                try {
                    values.put(template.names().get(i), decode(raw.replace("+", "%2B")));
                } catch (IllegalArgumentException e) {
                    // Left as sent: the server answers a broken escape as it sees fit, within the documented answers.
                    values.put(template.names().get(i), raw);
                }
            }
            String pointer = "#/paths/" + escape(template.path()) + "/" + operationKey;
            // Parameters of the path item, then the operation's, which replace those of the same name and place.
            Map<String, JsonNode> declared = new LinkedHashMap<>();
            Map<String, String> pointers = new LinkedHashMap<>();
            addParameters(item.path("parameters"), "#/paths/" + escape(template.path()) + "/parameters", declared,
                    pointers);
            addParameters(item.path(operationKey).path("parameters"), pointer + "/parameters", declared, pointers);
            Map<String, JsonNode> parameters = new LinkedHashMap<>();
            pointers.forEach((id, at) -> parameters.put(at, declared.get(id)));
            return Optional.of(new Matched(method + " " + template.path(), pointer, item.path(operationKey), values,
                    parameters));
        }
        return Optional.empty();
    }

    private void addParameters(JsonNode list, String at, Map<String, JsonNode> declared, Map<String, String> pointers) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode parameter = resolve(list.get(i));
            String id = parameter.path("in").asText() + ":" + parameter.path("name").asText().toLowerCase(Locale.ROOT);
            declared.put(id, parameter);
            pointers.put(id, located(list.get(i), at + "/" + i));
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** Where the definition of a node found at {@code at} lives: at the end of its {@code $ref}s. */
    private String located(JsonNode node, String at) {
        while (node.has("$ref")) {
            at = node.get("$ref").asText();
            node = document.at(at.substring(1));
        }
        return at;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .flatMap(header -> header.getValue().stream()).findFirst().orElse(null);
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /** Percent-decoding, with {@code +} as a space (as in a query string); a broken escape is refused. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** A JSON pointer's escaping of one key. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    /** A documented path as a pattern over raw request paths. */
    private record Template(String path, Pattern pattern, List<String> names) {
        static Template of(String path) {
            StringBuilder pattern = new StringBuilder();
            List<String> names = new ArrayList<>();
            Matcher parameter = PARAMETER.matcher(path);
            int at = 0;
            while (parameter.find()) {
                pattern.append(Pattern.quote(path.substring(at, parameter.start()))).append("([^/]+)");
                names.add(parameter.group(1));
                at = parameter.end();
            }
            pattern.append(Pattern.quote(path.substring(at)));
            return new Template(path, Pattern.compile(pattern.toString()), names);
        }

        int parameters() {
            return names.size();
        }
    }

    /** A request's operation: its label, pointer, node, path values and parameters by pointer. */
    private record Matched(String label, String pointer, JsonNode node, Map<String, String> pathValues,
                           Map<String, JsonNode> parameters) {
    }

}
