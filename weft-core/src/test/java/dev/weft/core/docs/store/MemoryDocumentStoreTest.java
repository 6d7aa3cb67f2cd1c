package dev.weft.core.docs.store;

/** The document store contract for {@link MemoryDocumentStore}. */
class MemoryDocumentStoreTest extends DocumentStoreContractTest {

    @Override
    protected DocumentStore newStore() {
        return new MemoryDocumentStore();
    }
}
