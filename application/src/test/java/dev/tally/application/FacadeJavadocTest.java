package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The embedding API an application programs against, {@link Tally} and the commands its use cases
 * take, documents every public type, constructor, field and method: the JDK's own doclint check
 * ({@code -Xdoclint:missing/public}) over their sources reports nothing.
 */
class FacadeJavadocTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/tally/application");

    /** The facade, the outcome type and every command record its use cases take. */
    private static final List<String> EMBEDDING_API = List.of("Tally", "usecase/Outcome", "run/StartRun",
            "run/CompleteRun", "run/RecordDelivery", "session/CreateSession", "session/CompleteSession",
            "usage/RecordUsage", "usage/UsageItem", "reservation/HoldReservation", "reservation/EndReservation",
            "allocation/SetAllocation", "allocation/ChangeAllocation", "activation/IssueCode",
            "activation/RedeemCode", "user/PutUser", "user/ResetBillingPeriod", "credit/CreditWrite",
            "cost/RecordApiCall", "entitlement/CheckEntitlement", "event/ListEvents", "billing/ListUsers",
            "webhook/PutEndpoint");

    @Test
    void every_public_member_of_the_embedding_api_has_javadoc() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("doclint");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(SOURCES)) {
                all = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
            }
            boolean compiled = javac.getTask(null, files, diagnostics,
                    List.of("-proc:none", "-Xdoclint:missing/public", "-Xmaxwarns", "10000",
                            "-classpath", System.getProperty("java.class.path"), "-d", out.toString()),
                    null, files.getJavaFileObjectsFromPaths(all)).call();
            assertThat(compiled).isTrue();
        }
        List<String> undocumented = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.WARNING && d.getSource() != null)
                .filter(d -> d.getMessage(null).contains("no comment"))
                .filter(d -> EMBEDDING_API.stream().anyMatch(name ->
                        Path.of(d.getSource().toUri()).endsWith(SOURCES.getFileName().resolve(name + ".java"))))
                .map(d -> Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber())
                .collect(Collectors.toList());

        assertThat(undocumented).isEmpty();
    }
}
