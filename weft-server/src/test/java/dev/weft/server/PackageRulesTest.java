package dev.weft.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weft.core.Node;
import dev.weft.core.broker.Broker;
import dev.weft.core.presence.PresenceManager;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's package rules: packages free of cycles, and the engine reached through {@link Node}'s
 * operations only — never the broker, presence manager or hub behind it (only {@link WeftServer}, which builds
 * the node, holds a broker and presence manager).
 */
class PackageRulesTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft.server");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.weft.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    /** {@link WeftServer} builds the node from a broker and presence manager; nothing else touches them. */
    @Test
    void theEngineIsReachedThroughTheNode() {
        noClasses().that().doNotBelongToAnyOf(WeftServer.class)
                .should().dependOnClassesThat().resideInAPackage("dev.weft.core.hub..")
                .orShould().dependOnClassesThat().areAssignableTo(Broker.class)
                .orShould().dependOnClassesThat().areAssignableTo(PresenceManager.class)
                .check(SERVER);
    }

    @Test
    void productionCodeDoesNotReachBehindTheNode() {
        noClasses().should().callMethod(Node.class, "internalsForTests").check(SERVER);
    }
}
