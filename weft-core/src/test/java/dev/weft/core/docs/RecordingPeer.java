package dev.weft.core.docs;

import java.util.ArrayList;
import java.util.List;

/** A {@link DocumentPeer} that records what the room sends it. Thread-safe (synchronized). */
final class RecordingPeer implements DocumentPeer {
    private final String name;
    private final List<byte[]> stateVectors = new ArrayList<>();
    private final List<byte[]> syncAnswers = new ArrayList<>();
    private final List<byte[]> updates = new ArrayList<>();
    private final List<byte[]> awareness = new ArrayList<>();
    private final List<UpdateResult> results = new ArrayList<>();
    private DocumentError closedWith;
    private String closeDetail;
    private boolean refuseWrites;

    RecordingPeer(String name) {
        this.name = name;
    }

    @Override
    public synchronized void sendStateVector(byte[] stateVector) {
        stateVectors.add(stateVector);
    }

    @Override
    public synchronized void answerSyncStep1(byte[] missing, byte[] stateVector) {
        syncAnswers.add(missing);
    }

    @Override
    public synchronized boolean sendUpdate(byte[] update) {
        if (refuseWrites) {
            return false;
        }
        updates.add(update);
        return true;
    }

    @Override
    public synchronized boolean sendAwareness(byte[] awarenessUpdate) {
        if (refuseWrites) {
            return false;
        }
        awareness.add(awarenessUpdate);
        return true;
    }

    @Override
    public synchronized void updateResult(UpdateResult result) {
        results.add(result);
    }

    @Override
    public synchronized void close(DocumentError error, String detail) {
        closedWith = error;
        closeDetail = detail;
    }

    @Override
    public String describe() {
        return name;
    }

    synchronized List<byte[]> stateVectors() {
        return List.copyOf(stateVectors);
    }

    synchronized List<byte[]> syncAnswers() {
        return List.copyOf(syncAnswers);
    }

    synchronized List<byte[]> updates() {
        return List.copyOf(updates);
    }

    synchronized List<byte[]> awareness() {
        return List.copyOf(awareness);
    }

    synchronized List<UpdateResult> results() {
        return List.copyOf(results);
    }

    synchronized String closeDetail() {
        return closeDetail;
    }

    synchronized DocumentError closedWith() {
        return closedWith;
    }

    synchronized void refuseWrites() {
        refuseWrites = true;
    }
}
