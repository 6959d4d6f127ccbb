package dev.outbox.sample.order;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A request to place an order, validated at the API boundary.
 *
 * @param customerId who orders
 * @param currency ISO 4217 code, such as {@code EUR}
 * @param lines what is ordered (1 to 100 lines)
 */
public record PlaceOrder(@NotBlank @Size(max = 100) String customerId,
		@NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
		@NotEmpty @Size(max = 100) List<@Valid @NotNull Line> lines) {

	/**
	 * One line of the request.
	 *
	 * @param sku the article
	 * @param quantity how many, 1 to 1000
	 * @param unitPrice price of one, at most two decimals
	 */
	public record Line(@NotBlank @Size(max = 64) String sku, @Positive @Max(1000) int quantity,
			@NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {
	}

}
