package dev.outbox.starter.contract;

/**
 * One event type the application publishes, with the Java type of its payload, known at
 * startup before any traffic.
 * <p>
 * The payload type is what the application's own {@code JsonMapper} serializes, so the event
 * type's JSON Schema is derived from it (unless the team commits a schema file for the type).
 *
 * @param eventType the event type, for example {@code "OrderPlaced"}, as the
 * {@code event_type} column and the Kafka header {@code eventType} carry it
 * @param payloadType the Java type of the payload
 * @param declaredBy where the declaration was found, for error messages (for example
 * {@code "@OutboxEvent on OrderService.place(..)"} or {@code "OutboxEventTypes bean 'orderEvents'"})
 */
public record EventTypeDeclaration(String eventType, Class<?> payloadType, String declaredBy) {

}
