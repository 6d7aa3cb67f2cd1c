package dev.weft.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weft.core.Node;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's package rules: packages free of cycles, and the engine reached through {@link Node}'s
 * operations only — never the broker, presence manager or hub behind it.
 */
class PackageRulesTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft.server");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.weft.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void theEngineIsReachedThroughTheNode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.weft.core.hub..")
                .orShould().dependOnClassesThat().haveSimpleName("PresenceManager")
                .orShould().dependOnClassesThat().haveSimpleName("Broker")
                .orShould().callMethod(Node.class, "internalsForTests")
                .check(SERVER);
    }
}
