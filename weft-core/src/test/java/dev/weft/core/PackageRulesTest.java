package dev.weft.core;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's package rules: packages free of cycles, and no network code. The root package
 * ({@code dev.weft.core}) holds {@link Node} — the one way into the engine, which uses every package — and
 * the few types the packages share ({@link CommandFailedException}, {@link NodeConfig}, {@link ClientOptions},
 * {@link SendHandler}, {@link RpcHandler}). So the root shares a cycle with the packages that use those types;
 * the first cycle rule looks at the packages below the root, the second at the root too, ignoring only those
 * types. Besides, the parts a node is built from must not use {@code Node} itself (sessions get
 * {@link dev.weft.core.client.SessionServices}), and production code must not reach behind it
 * ({@link Node#internalsForTests()}). Packages built on a node — {@code docs/} (document
 * rooms) and {@code emulation/} (the router serving a node) — may use it.
 */
class PackageRulesTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft.core");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.weft.core.(*)..").should().beFreeOfCycles().check(ENGINE);
    }

    /**
     * The root package as a slice of its own: its shared types ({@link CommandFailedException},
     * {@link NodeConfig}, {@link ClientOptions}, {@link SendHandler}, {@link RpcHandler}) are used by
     * {@code client} and {@code channel}, which {@link Node} uses — the two cycles this rule ignores, by name,
     * until those types move into a package of their own. Any other cycle through the root fails.
     */
    @Test
    void theRootPackageSharesCyclesOnlyThroughItsSharedTypes() {
        SliceAssignment rootAndPackages = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName();
                if (pkg.equals("dev.weft.core")) {
                    return SliceIdentifier.of("(root)");
                }
                if (pkg.startsWith("dev.weft.core.")) {
                    return SliceIdentifier.of(pkg.substring("dev.weft.core.".length()).split("\\.")[0]);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "dev.weft.core and each package below it";
            }
        };
        slices().assignedFrom(rootAndPackages).should().beFreeOfCycles()
                .ignoreDependency(alwaysTrue(), belongToAnyOf(CommandFailedException.class, NodeConfig.class,
                        ClientOptions.class, SendHandler.class, RpcHandler.class))
                .check(ENGINE);
    }

    @Test
    void engineKnowsNothingOfNetty() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..").check(ENGINE);
    }

    @Test
    void thePartsOfANodeDoNotUseTheNode() {
        noClasses().that().resideInAnyPackage("dev.weft.core.client..", "dev.weft.core.hub..",
                        "dev.weft.core.channel..", "dev.weft.core.broker..", "dev.weft.core.presence..",
                        "dev.weft.core.auth..", "dev.weft.core.limits..", "dev.weft.core.transport..", "dev.weft.core.control..",
                        "dev.weft.core.internal..")
                .should().dependOnClassesThat().areAssignableTo(Node.class).check(ENGINE);
    }

    @Test
    void theHubKnowsItsMembersOnlyAsHubMembers() {
        noClasses().that().resideInAPackage("dev.weft.core.hub..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.core.client..").check(ENGINE);
    }

    @Test
    void productionCodeDoesNotReachBehindTheNode() {
        noClasses().should().callMethod(Node.class, "internalsForTests").check(ENGINE);
    }
}
