package dev.outbox.starter.contract;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.StdSerializer;

import static dev.outbox.starter.contract.SchemaChanges.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PayloadSchemaGenerator}: the schema says what the mapper writes. Each test compares a
 * whole generated schema with the expected one and, through {@link #schemaOf}, checks that it
 * is accepted by the compatibility rules' subset ({@link SchemaDocument}) and that the
 * mapper's actual output for a sample value fits the required and nullable properties.
 */
class PayloadSchemaGeneratorUnitTests {

	private static final String DRAFT = "'$schema': 'https://json-schema.org/draft/2020-12/schema', ";

	private final JsonMapper mapper = JsonMapper.builder().build();

	// ---------------------------------------------------------------- records and classes

	record Line(String sku, int quantity, BigDecimal price) {
	}

	@Test
	void recordIsAnOpenObjectThatRequiresEveryComponent() {
		assertThat(schemaOf(this.mapper, Line.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'sku': { 'type': 'string' }, 'quantity': { 'type': 'integer' },
				  'price': { 'type': 'number' } },
				'required': ['price', 'quantity', 'sku'] }
				"""));
	}

	record OrderPlaced(UUID orderId, String customerEmail) {
	}

	@Test
	void namingStrategyOfTheMapperNamesTheProperties() {
		JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		assertThat(schemaOf(snakeCase, OrderPlaced.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'order_id': { 'type': 'string', 'format': 'uuid' },
				  'customer_email': { 'type': 'string' } },
				'required': ['customer_email', 'order_id'] }
				"""));
	}

	static class Shipment {

		private final String id = "s-1";

		private final String carrier = "dhl";

		private final String internalNote = "secret";

		private final int parcels = 2;

		@JsonProperty("shipmentId")
		public String getId() {
			return this.id;
		}

		public String getCarrier() {
			return this.carrier;
		}

		@JsonIgnore
		public String getInternalNote() {
			return this.internalNote;
		}

		public int getParcels() {
			return this.parcels;
		}

	}

	@Test
	void classPropertiesAreItsGettersRenamedByJsonPropertyWithoutTheIgnoredOnes() {
		assertThat(schemaOf(this.mapper, Shipment.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'carrier': { 'type': 'string' }, 'parcels': { 'type': 'integer' },
				  'shipmentId': { 'type': 'string' } },
				'required': ['carrier', 'parcels', 'shipmentId'] }
				"""));
		assertThat(this.mapper.readTree(this.mapper.writeValueAsString(new Shipment())).propertyNames())
			.containsExactlyInAnyOrder("carrier", "parcels", "shipmentId");
	}

	// ---------------------------------------------------------------- enums

	enum Status {

		PLACED, CANCELLED, @JsonProperty("paid-in-full") PAID

	}

	enum StatusReordered {

		@JsonProperty("paid-in-full") PAID, PLACED, CANCELLED

	}

	record StatusChanged(Status status) {
	}

	record StatusChangedReordered(StatusReordered status) {
	}

	@Test
	void enumIsAStringWithTheValuesAsWrittenSorted() {
		assertThat(schemaOf(this.mapper, StatusChanged.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'status': { 'type': 'string', 'enum': ['CANCELLED', 'PLACED', 'paid-in-full'] } },
				'required': ['status'] }
				"""));
		assertThat(schemaOf(this.mapper, StatusChangedReordered.class))
			.isEqualTo(schemaOf(this.mapper, StatusChanged.class));
	}

	enum Channel {

		WEB("web"), STORE("store");

		private final String code;

		Channel(String code) {
			this.code = code;
		}

		@JsonValue
		String code() {
			return this.code;
		}

		@Override
		public String toString() {
			return "channel " + this.code;
		}

	}

	enum Priority {

		LOW, HIGH;

		@Override
		public String toString() {
			return name().toLowerCase();
		}

	}

	record Routed(Channel channel, Priority priority) {
	}

	@Test
	void enumValuesFollowJsonValueAndTheMappersEnumFeatures() {
		assertThat(schemaOf(this.mapper, Routed.class).at("/properties")).isEqualTo(parse("""
				{ 'channel': { 'type': 'string', 'enum': ['store', 'web'] },
				  'priority': { 'type': 'string', 'enum': ['high', 'low'] } }
				"""));
		assertThat(this.mapper.writeValueAsString(new Routed(Channel.WEB, Priority.HIGH)))
			.isEqualTo("{\"channel\":\"web\",\"priority\":\"high\"}");
		JsonMapper nameEnums = JsonMapper.builder().disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING).build();
		assertThat(schemaOf(nameEnums, Routed.class).at("/properties/priority"))
			.isEqualTo(parse("{ 'type': 'string', 'enum': ['HIGH', 'LOW'] }"));
		JsonMapper indexEnums = JsonMapper.builder().enable(EnumFeature.WRITE_ENUMS_USING_INDEX).build();
		assertThat(schemaOf(indexEnums, Routed.class).at("/properties/priority"))
			.isEqualTo(parse("{ 'type': 'integer' }"));
	}

	// ---------------------------------------------------------------- collections, arrays, maps

	record Basket(List<String> skus, Set<Integer> shelves, String[] tags, int[] sizes, byte[] thumbnail,
			Collection<List<Long>> grid, List<Optional<String>> notes) {
	}

	@Test
	void collectionsAndArraysAreArraysOfTheirElementsAndBytesAreBase64Text() {
		assertThat(schemaOf(this.mapper, Basket.class).at("/properties")).isEqualTo(parse("""
				{ 'skus': { 'type': 'array', 'items': { 'type': 'string' } },
				  'shelves': { 'type': 'array', 'items': { 'type': 'integer' } },
				  'tags': { 'type': 'array', 'items': { 'type': 'string' } },
				  'sizes': { 'type': 'array', 'items': { 'type': 'integer' } },
				  'thumbnail': { 'type': 'string' },
				  'grid': { 'type': 'array', 'items': { 'type': 'array', 'items': { 'type': 'integer' } } },
				  'notes': { 'type': 'array', 'items': { 'type': ['string', 'null'] } } }
				"""));
	}

	record Inventory(Map<String, Integer> stock, Map<String, Line> lines, Map<String, Object> attributes,
			Map<String, List<String>> aliases) {
	}

	@Test
	void mapsAreObjectsWhoseAdditionalPropertiesAreTheValues() {
		assertThat(schemaOf(this.mapper, Inventory.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': {
				  'stock': { 'type': 'object', 'additionalProperties': { 'type': 'integer' } },
				  'lines': { 'type': 'object', 'additionalProperties': { '$ref': '#/$defs/Line' } },
				  'attributes': { 'type': 'object' },
				  'aliases': { 'type': 'object',
				    'additionalProperties': { 'type': 'array', 'items': { 'type': 'string' } } } },
				'required': ['aliases', 'attributes', 'lines', 'stock'],
				'$defs': { 'Line': { 'type': 'object',
				  'properties': { 'sku': { 'type': 'string' }, 'quantity': { 'type': 'integer' },
				    'price': { 'type': 'number' } },
				  'required': ['price', 'quantity', 'sku'] } } }
				"""));
	}

	// ---------------------------------------------------------------- nested and recursive types

	record Customer(String id, Address billing, @Nullable Address shipping) {
	}

	record Address(String street, String city) {
	}

	@Test
	void nestedTypesAreDefinitionsReferredToOnce() {
		assertThat(schemaOf(this.mapper, Customer.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'id': { 'type': 'string' },
				  'billing': { '$ref': '#/$defs/Address' },
				  'shipping': { 'anyOf': [ { '$ref': '#/$defs/Address' }, { 'type': 'null' } ] } },
				'required': ['billing', 'id', 'shipping'],
				'$defs': { 'Address': { 'type': 'object',
				  'properties': { 'street': { 'type': 'string' }, 'city': { 'type': 'string' } },
				  'required': ['city', 'street'] } } }
				"""));
	}

	record Category(String name, List<Category> children, @Nullable Category parent) {
	}

	record CatalogChanged(Category root) {
	}

	@Test
	void recursiveTypesReferToThemselves() {
		assertThat(schemaOf(this.mapper, Category.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'name': { 'type': 'string' },
				  'children': { 'type': 'array', 'items': { '$ref': '#' } },
				  'parent': { 'anyOf': [ { '$ref': '#' }, { 'type': 'null' } ] } },
				'required': ['children', 'name', 'parent'] }
				"""));
		assertThat(schemaOf(this.mapper, CatalogChanged.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'root': { '$ref': '#/$defs/Category' } },
				'required': ['root'],
				'$defs': { 'Category': { 'type': 'object',
				  'properties': { 'name': { 'type': 'string' },
				    'children': { 'type': 'array', 'items': { '$ref': '#/$defs/Category' } },
				    'parent': { 'anyOf': [ { '$ref': '#/$defs/Category' }, { 'type': 'null' } ] } },
				  'required': ['children', 'name', 'parent'] } } }
				"""));
	}

	record Envelope<T>(String kind, T body) {
	}

	@Test
	void genericTypeIsDescribedWithItsTypeArguments() {
		JavaType type = this.mapper.getTypeFactory().constructParametricType(Envelope.class, Address.class);
		PayloadSchemaGenerator generator = new PayloadSchemaGenerator(this.mapper);
		JsonNode schema = generator.schemaOf(type);
		new SchemaDocument(schema, "Envelope<Address>");
		assertThat(schema.at("/properties/body")).isEqualTo(parse("{ '$ref': '#/$defs/Address' }"));
		assertThat(schema.at("/$defs/Address/required")).isEqualTo(parse("{ 'r': ['city', 'street'] }").get("r"));
	}

	// ---------------------------------------------------------------- null, Optional and inclusion

	/** An annotation from another library: any annotation named Nullable counts. */
	static final class Declared {

		@Retention(RetentionPolicy.RUNTIME)
		@interface Nullable {

		}

	}

	record Refund(String orderId, @Nullable String reason, Optional<String> voucher, long amountCents,
			@Nullable Long fee, @Nullable Status status) {
	}

	static class RefundBean {

		@Declared.Nullable
		private String reason;

		private String orderId = "o-1";

		public @Nullable String getReason() {
			return this.reason;
		}

		public String getOrderId() {
			return this.orderId;
		}

	}

	@Test
	void underAlwaysInclusionAPropertyThatMayBeAbsentIsRequiredButNullable() {
		assertThat(schemaOf(this.mapper, Refund.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'orderId': { 'type': 'string' }, 'reason': { 'type': ['string', 'null'] },
				  'voucher': { 'type': ['string', 'null'] }, 'amountCents': { 'type': 'integer' },
				  'fee': { 'type': ['integer', 'null'] },
				  'status': { 'anyOf': [ { 'type': 'string', 'enum': ['CANCELLED', 'PLACED', 'paid-in-full'] },
				    { 'type': 'null' } ] } },
				'required': ['amountCents', 'fee', 'orderId', 'reason', 'status', 'voucher'] }
				"""));
		JsonNode written = this.mapper.readTree(this.mapper
			.writeValueAsString(new Refund("o-1", null, Optional.empty(), 5, null, null)));
		assertThat(written.get("reason").isNull()).isTrue();
		assertThat(written.get("voucher").isNull()).isTrue();
	}

	@Test
	void anyAnnotationNamedNullableOnTheFieldMakesAGetterPropertyNullable() {
		assertThat(schemaOf(this.mapper, RefundBean.class).at("/properties/reason"))
			.isEqualTo(parse("{ 'type': ['string', 'null'] }"));
		assertThat(schemaOf(this.mapper, RefundBean.class).at("/properties/orderId"))
			.isEqualTo(parse("{ 'type': 'string' }"));
	}

	@Test
	void underNonNullInclusionANullablePropertyIsOptionalButAnEmptyOptionalIsStillWrittenAsNull() {
		JsonMapper nonNull = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.build();
		assertThat(schemaOf(nonNull, Refund.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'orderId': { 'type': 'string' }, 'reason': { 'type': 'string' },
				  'voucher': { 'type': ['string', 'null'] }, 'amountCents': { 'type': 'integer' },
				  'fee': { 'type': 'integer' },
				  'status': { 'type': 'string', 'enum': ['CANCELLED', 'PLACED', 'paid-in-full'] } },
				'required': ['amountCents', 'orderId', 'voucher'] }
				"""));
		JsonNode written = nonNull.readTree(nonNull
			.writeValueAsString(new Refund("o-1", null, Optional.empty(), 5, null, null)));
		assertThat(written.has("reason")).isFalse();
		assertThat(written.get("voucher").isNull()).isTrue();
	}

	@JsonInclude(JsonInclude.Include.NON_ABSENT)
	record RefundNonAbsent(String orderId, @Nullable String reason, Optional<String> voucher) {
	}

	@Test
	void underNonAbsentInclusionNullAndEmptyOptionalAreLeftOut() {
		assertThat(schemaOf(this.mapper, RefundNonAbsent.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'orderId': { 'type': 'string' }, 'reason': { 'type': 'string' },
				  'voucher': { 'type': 'string' } },
				'required': ['orderId'] }
				"""));
		JsonNode written = this.mapper.readTree(this.mapper
			.writeValueAsString(new RefundNonAbsent("o-1", null, Optional.empty())));
		assertThat(written.propertyNames()).containsExactly("orderId");
	}

	record Tagged(String id, @JsonInclude(JsonInclude.Include.NON_EMPTY) String label,
			@JsonInclude(JsonInclude.Include.NON_DEFAULT) int retries, List<String> tags) {
	}

	@Test
	void nonEmptyAndNonDefaultPropertiesAndEmptyCollectionsLeftOutAreOptional() {
		assertThat(schemaOf(this.mapper, Tagged.class).get("required")).isEqualTo(parse("{ 'r': ['id', 'tags'] }").get("r"));
		JsonMapper noEmptyArrays = JsonMapper.builder().disable(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS).build();
		assertThat(schemaOf(noEmptyArrays, Tagged.class).get("required")).isEqualTo(parse("{ 'r': ['id'] }").get("r"));
		assertThat(noEmptyArrays.writeValueAsString(new Tagged("t", "", 0, List.of()))).isEqualTo("{\"id\":\"t\"}");
	}

	// ---------------------------------------------------------------- scalars

	record Amounts(BigDecimal total, BigInteger units, long count, Integer boxed, double ratio, float weight,
			short small, boolean paid, Boolean gift, char grade) {
	}

	@Test
	void numbersAreIntegersOrNumbersAsTheirJavaTypeIsWritten() {
		assertThat(schemaOf(this.mapper, Amounts.class).at("/properties")).isEqualTo(parse("""
				{ 'total': { 'type': 'number' }, 'units': { 'type': 'integer' }, 'count': { 'type': 'integer' },
				  'boxed': { 'type': 'integer' }, 'ratio': { 'type': 'number' }, 'weight': { 'type': 'number' },
				  'small': { 'type': 'integer' }, 'paid': { 'type': 'boolean' }, 'gift': { 'type': 'boolean' },
				  'grade': { 'type': 'string' } }
				"""));
	}

	record Priced(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {
	}

	@Test
	void numberWrittenAsTextIsAString() {
		assertThat(schemaOf(this.mapper, Priced.class).at("/properties/total")).isEqualTo(parse("{ 'type': 'string' }"));
		assertThat(this.mapper.writeValueAsString(new Priced(BigDecimal.TEN))).isEqualTo("{\"total\":\"10\"}");
	}

	record Timeline(Instant at, OffsetDateTime offset, ZonedDateTime zoned, LocalDate day, LocalDateTime local,
			LocalTime clock, OffsetTime opens, Duration took, Date legacy,
			@JsonFormat(pattern = "dd.MM.yyyy") LocalDate german) {
	}

	@Test
	void javaTimeValuesAreStringsWithAFormatOnlyWhereTheTextMatchesIt() {
		assertThat(schemaOf(this.mapper, Timeline.class).at("/properties")).isEqualTo(parse("""
				{ 'at': { 'type': 'string', 'format': 'date-time' },
				  'offset': { 'type': 'string', 'format': 'date-time' },
				  'zoned': { 'type': 'string', 'format': 'date-time' },
				  'day': { 'type': 'string', 'format': 'date' },
				  'local': { 'type': 'string' }, 'clock': { 'type': 'string' },
				  'opens': { 'type': 'string' }, 'took': { 'type': 'string' },
				  'legacy': { 'type': 'string', 'format': 'date-time' }, 'german': { 'type': 'string' } }
				"""));
		Instant instant = Instant.parse("2026-12-05T10:15:00Z"); // zero seconds: still written, as RFC 3339 wants
		JsonNode written = this.mapper.readTree(this.mapper.writeValueAsString(new Timeline(instant,
				instant.atOffset(ZoneOffset.ofHours(1)), instant.atZone(ZoneId.of("Europe/Paris")),
				LocalDate.of(2026, 12, 5), LocalDateTime.of(2026, 12, 5, 10, 15), LocalTime.NOON,
				OffsetTime.of(LocalTime.NOON, ZoneOffset.UTC), Duration.ofMinutes(90), Date.from(instant),
				LocalDate.of(2026, 12, 5))));
		String rfc3339DateTime = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})";
		assertThat(written.get("at").asString()).matches(rfc3339DateTime);
		assertThat(written.get("offset").asString()).matches(rfc3339DateTime);
		assertThat(written.get("zoned").asString()).matches(rfc3339DateTime);
		assertThat(written.get("legacy").asString()).matches(rfc3339DateTime);
		assertThat(written.get("day").asString()).isEqualTo("2026-12-05");
		// RFC 3339's "time" needs seconds: OffsetTime is written without them, so it gets no format
		assertThat(written.get("opens").asString()).isEqualTo("12:00Z");
		assertThat(written.get("german").asString()).isEqualTo("05.12.2026");
	}

	record Schedule(Optional<Instant> startsAt, List<LocalDate> holidays) {
	}

	@Test
	void formatOfAnOptionalOrAnElementIsThatOfItsValue() {
		assertThat(schemaOf(this.mapper, Schedule.class).at("/properties")).isEqualTo(parse("""
				{ 'startsAt': { 'type': ['string', 'null'], 'format': 'date-time' },
				  'holidays': { 'type': 'array', 'items': { 'type': 'string', 'format': 'date' } } }
				"""));
	}

	static final class MoneySerializer extends StdSerializer<Money> {

		MoneySerializer() {
			super(Money.class);
		}

		@Override
		public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
			generator.writeString(value.cents() + " " + value.currency());
		}

	}

	record Invoiced(String id, @JsonSerialize(using = MoneySerializer.class) Money amount) {
	}

	@Test
	void customSerializerThatDoesNotDescribeItsOutputIsAnyValue() {
		assertThat(schemaOf(this.mapper, Invoiced.class).at("/properties/amount")).isEqualTo(parse("{}"));
		assertThat(this.mapper.writeValueAsString(new Invoiced("i", new Money("EUR", 5))))
			.isEqualTo("{\"id\":\"i\",\"amount\":\"5 EUR\"}");
	}

	@Test
	void javaTimeValuesAreNumbersWhenTheMapperWritesTimestamps() {
		JsonMapper timestamps = JsonMapper.builder()
			.enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS, DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.build();
		JsonNode properties = schemaOf(timestamps, Timeline.class).at("/properties");
		assertThat(properties.at("/at/type").asString()).isEqualTo("number");
		assertThat(properties.at("/at/format").isMissingNode()).isTrue();
		assertThat(properties.at("/day/type").asString()).isEqualTo("array");
		assertThat(properties.at("/took/type").asString()).isEqualTo("number");
		assertThat(timestamps.writeValueAsString(Duration.ofMillis(1500))).isEqualTo("1.500000000");
	}

	record Annotated(JsonNode extra, ObjectNode meta, Object anything) {
	}

	@Test
	void jsonNodeAndObjectAreAnyValue() {
		assertThat(schemaOf(this.mapper, Annotated.class).at("/properties"))
			.isEqualTo(parse("{ 'extra': {}, 'meta': {}, 'anything': {} }"));
	}

	record Money(String currency, long cents) {
	}

	record ItemPriced(String sku, @JsonUnwrapped(prefix = "price_") Money price) {
	}

	@Test
	void unwrappedPropertiesAreWrittenIntoTheEnclosingObject() {
		assertThat(schemaOf(this.mapper, ItemPriced.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'sku': { 'type': 'string' }, 'price_currency': { 'type': 'string' },
				  'price_cents': { 'type': 'integer' } },
				'required': ['price_cents', 'price_currency', 'sku'] }
				"""));
		assertThat(this.mapper.writeValueAsString(new ItemPriced("a", new Money("EUR", 5))))
			.isEqualTo("{\"sku\":\"a\",\"price_currency\":\"EUR\",\"price_cents\":5}");
	}

	record ItemDiscounted(String sku, @JsonUnwrapped(prefix = "discount_") @Nullable Money discount) {
	}

	record ItemRebated(String sku, @JsonUnwrapped(prefix = "rebate_") @Declared.Nullable Money rebate) {
	}

	record Shelved(String shelf, @JsonUnwrapped ItemDiscounted item) {
	}

	@Test
	void propertiesOfANullableUnwrappedValueAreOptionalSinceNoneIsWrittenWhenItIsNull() {
		assertThat(schemaOf(this.mapper, ItemDiscounted.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'sku': { 'type': 'string' }, 'discount_currency': { 'type': 'string' },
				  'discount_cents': { 'type': 'integer' } },
				'required': ['sku'] }
				"""));
		assertThat(this.mapper.writeValueAsString(new ItemDiscounted("a", null))).isEqualTo("{\"sku\":\"a\"}");
		// so outbox.contract.validate-payloads accepts what the mapper writes for a null value
		assertThat(PayloadValidator.firstError(schemaOf(this.mapper, ItemDiscounted.class),
				this.mapper.valueToTree(new ItemDiscounted("a", null))))
			.isNull();
		assertThat(schemaOf(this.mapper, ItemRebated.class).at("/required"))
			.isEqualTo(parse("{ 'r': ['sku'] }").get("r"));
	}

	@Test
	void aNullableUnwrappedValueInsideANonNullUnwrappedOneKeepsItsPropertiesOptional() {
		assertThat(schemaOf(this.mapper, Shelved.class)).isEqualTo(parse("{" + DRAFT + """
				'type': 'object',
				'properties': { 'shelf': { 'type': 'string' }, 'sku': { 'type': 'string' },
				  'discount_currency': { 'type': 'string' }, 'discount_cents': { 'type': 'integer' } },
				'required': ['shelf', 'sku'] }
				"""));
		assertThat(this.mapper.writeValueAsString(new Shelved("s-1", new ItemDiscounted("a", null))))
			.isEqualTo("{\"shelf\":\"s-1\",\"sku\":\"a\"}");
	}

	record Item(String sku) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ItemWithOptionalName(String sku, @Nullable String name) {
	}

	@Test
	void compatibilityRulesTreatANullableUnwrappedValueAsAPropertyLeftOutWhenNull() {
		List<RegisteredSchema> item = List.of(new RegisteredSchema(1, schemaOf(this.mapper, Item.class)));
		for (CompatibilityMode mode : CompatibilityMode.values()) {
			assertThat(SchemaCompatibility.check(schemaOf(this.mapper, ItemDiscounted.class), item, mode))
				.as("adding a nullable unwrapped value under %s", mode)
				.isEqualTo(SchemaCompatibility.check(schemaOf(this.mapper, ItemWithOptionalName.class), item, mode))
				.isEmpty();
		}
		// an unwrapped value always written that becomes nullable: its properties are no longer always written
		List<RegisteredSchema> priced = List.of(new RegisteredSchema(1, schemaOf(this.mapper, ItemPriced.class)));
		JsonNode discountable = renamed(schemaOf(this.mapper, ItemDiscounted.class), "discount_", "price_");
		assertThat(SchemaCompatibility.check(discountable, priced, CompatibilityMode.FORWARD))
			.extracting((violation) -> violation.path() + " " + violation.rule())
			.containsExactlyInAnyOrder("price_cents PROPERTY_MADE_OPTIONAL", "price_currency PROPERTY_MADE_OPTIONAL");
	}

	private static JsonNode renamed(JsonNode schema, String from, String to) {
		return parse(schema.toString().replace(from, to).replace('"', '\''));
	}

	// ---------------------------------------------------------------- what cannot be described

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
	@JsonSubTypes({ @JsonSubTypes.Type(value = Card.class, name = "card"),
			@JsonSubTypes.Type(value = Cash.class, name = "cash") })
	sealed interface Payment permits Card, Cash {
	}

	record Card(String last4) implements Payment {
	}

	record Cash(BigDecimal tendered) implements Payment {
	}

	record PaymentTaken(String orderId, Payment payment) {
	}

	record PaymentsTaken(List<Payment> payments) {
	}

	@Test
	void polymorphicPropertyIsRefusedNamingTheTypeAndTheProperty() {
		PayloadSchemaGenerator generator = new PayloadSchemaGenerator(this.mapper);
		assertThatIllegalArgumentException().isThrownBy(() -> generator.schemaOf(PaymentTaken.class))
			.withMessageContaining(PaymentTaken.class.getName())
			.withMessageContaining("property 'payment'")
			.withMessageContaining("@JsonTypeInfo")
			.withMessageContaining("hand-written schema file");
		assertThatIllegalArgumentException().isThrownBy(() -> generator.schemaOf(PaymentsTaken.class))
			.withMessageContaining("property 'payments[]'")
			.withMessageContaining("@JsonTypeInfo");
	}

	@JsonIdentityInfo(generator = ObjectIdGenerators.PropertyGenerator.class, property = "id")
	record Warehouse(String id, List<Warehouse> neighbours) {
	}

	record StockMoved(Warehouse from, Warehouse to) {
	}

	@Test
	void objectIdentityIsRefusedSinceARepeatedInstanceIsWrittenAsItsId() {
		Warehouse hub = new Warehouse("hub", List.of());
		assertThat(this.mapper.writeValueAsString(new StockMoved(hub, hub))).endsWith("\"to\":\"hub\"}");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PayloadSchemaGenerator(this.mapper).schemaOf(StockMoved.class))
			.withMessageContaining("property 'from'")
			.withMessageContaining("@JsonIdentityInfo");
	}

	// ---------------------------------------------------------------- the contract

	record OrderPlacedV1(String orderId, BigDecimal total, List<Line> lines) {
	}

	record OrderPlacedRenamed(String id, BigDecimal total, List<Line> lines) {
	}

	record OrderPlacedWithCoupon(String orderId, BigDecimal total, List<Line> lines, @Nullable String coupon) {
	}

	@Test
	void forwardModeRejectsARenamedAlwaysWrittenPropertyAndAcceptsAnAddedNullableOne() {
		PayloadSchemaGenerator generator = new PayloadSchemaGenerator(this.mapper);
		List<RegisteredSchema> registered = List.of(new RegisteredSchema(1, generator.schemaOf(OrderPlacedV1.class)));
		List<CompatibilityViolation> renamed = SchemaCompatibility.check(generator.schemaOf(OrderPlacedRenamed.class),
				registered, CompatibilityMode.FORWARD);
		assertThat(renamed).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("orderId");
			assertThat(violation.rule()).isEqualTo(CompatibilityRule.PROPERTY_RENAMED);
		});
		assertThat(SchemaCompatibility.check(generator.schemaOf(OrderPlacedWithCoupon.class), registered,
				CompatibilityMode.FORWARD)).isEmpty();
	}

	@Test
	void everyGeneratedSchemaIsInTheSubsetOfTheCompatibilityRulesAndStable() {
		List<Class<?>> types = List.of(Line.class, OrderPlaced.class, Shipment.class, StatusChanged.class,
				Routed.class, Basket.class, Inventory.class, Customer.class, Category.class, CatalogChanged.class,
				Refund.class, RefundBean.class, RefundNonAbsent.class, Tagged.class, Amounts.class, Priced.class,
				Timeline.class, Annotated.class, ItemPriced.class, Schedule.class, Invoiced.class, OrderPlacedV1.class, OrderPlacedWithCoupon.class);
		PayloadSchemaGenerator generator = new PayloadSchemaGenerator(this.mapper);
		for (Class<?> type : types) {
			JsonNode schema = generator.schemaOf(type);
			new SchemaDocument(schema, type.getSimpleName());
			assertThat(SchemaCompatibility.check(schema, List.of(new RegisteredSchema(1, schema)),
					CompatibilityMode.FULL_TRANSITIVE)).isEmpty();
			assertThat(generator.schemaOf(type)).as(type.getSimpleName()).isEqualTo(schema);
		}
	}

	@Test
	void schemaSourceDerivesEverySchemaOfACatalogByEventType() {
		EventTypeCatalog catalog = new EventTypeCatalog() {

			@Override
			public Collection<EventTypeDeclaration> declarations() {
				return List.of(new EventTypeDeclaration("LinePriced", Line.class, "test"),
						new EventTypeDeclaration("PaymentTaken", PaymentTaken.class, "test declaration"));
			}

			@Override
			public Optional<EventTypeDeclaration> find(String eventType) {
				return declarations().stream().filter((d) -> d.eventType().equals(eventType)).findFirst();
			}

		};
		PayloadSchemaGenerator generator = new PayloadSchemaGenerator(this.mapper);
		assertThatIllegalArgumentException().isThrownBy(() -> generator.schemaSource(catalog).schemas())
			.withMessageStartingWith("Event type 'PaymentTaken' (declared by test declaration): ");
		EventTypeCatalog valid = new EventTypeCatalog() {

			@Override
			public Collection<EventTypeDeclaration> declarations() {
				return List.of(new EventTypeDeclaration("LinePriced", Line.class, "test"));
			}

			@Override
			public Optional<EventTypeDeclaration> find(String eventType) {
				return Optional.empty();
			}

		};
		assertThat(generator.schemaSource(valid).schemas()).containsOnlyKeys("LinePriced")
			.containsEntry("LinePriced", generator.schemaOf(Line.class));
	}

	/** The schema, after checking it is in the subset {@link SchemaDocument} accepts. */
	private static JsonNode schemaOf(JsonMapper mapper, Class<?> type) {
		JsonNode schema = new PayloadSchemaGenerator(mapper).schemaOf(type);
		new SchemaDocument(schema, type.getSimpleName());
		return schema;
	}

}
