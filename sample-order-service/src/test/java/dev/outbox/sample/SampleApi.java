package dev.outbox.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's HTTP API as a test drives it: every answer, error or not, as status, content type
 * and JSON body.
 */
public final class SampleApi {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final RestClient client;

	public SampleApi(String baseUrl) {
		this.client = RestClient.builder().baseUrl(baseUrl).build();
	}

	public Response place(String customerId, String sku, int quantity, String unitPrice) {
		return post("/orders", """
				{"customerId":"%s","currency":"EUR","lines":[{"sku":"%s","quantity":%d,"unitPrice":%s}]}"""
			.formatted(customerId, sku, quantity, unitPrice));
	}

	public Response pay(UUID orderId, String reference) {
		return post("/orders/" + orderId + "/pay", "{\"paymentReference\":\"" + reference + "\"}");
	}

	public Response cancel(UUID orderId, String reason) {
		return post("/orders/" + orderId + "/cancel", "{\"reason\":\"" + reason + "\"}");
	}

	public Response ship(UUID orderId, String trackingNumber) {
		return post("/orders/" + orderId + "/ship", "{\"trackingNumber\":\"" + trackingNumber + "\"}");
	}

	public Response get(String path) {
		return this.client.get().uri(path).exchange((request, response) -> read(response), true);
	}

	public Response post(String path, String body) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange((request, response) -> read(response), true);
	}

	private static Response read(RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse response)
			throws IOException {
		byte[] body = response.getBody().readAllBytes();
		MediaType contentType = response.getHeaders().getContentType();
		return new Response(response.getStatusCode().value(), (contentType != null) ? contentType.toString() : "",
				(body.length > 0) ? json.readTree(body) : json.nullNode());
	}

	/**
	 * One answer.
	 * @param status HTTP status code
	 * @param contentType its Content-Type, empty when none
	 * @param body its JSON body
	 */
	public record Response(int status, String contentType, JsonNode body) {

		public UUID id() {
			return UUID.fromString(this.body.get("id").asString());
		}

		public String text(String field) {
			JsonNode node = this.body.get(field);
			if (node == null) {
				throw new UncheckedIOException(new IOException("No field " + field + " in " + this.body));
			}
			return node.asString();
		}

	}

}
