package dev.outbox.sample.web;

import java.util.List;

import dev.outbox.sample.order.IllegalOrderTransitionException;
import dev.outbox.sample.order.OrderNotFoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the API into an RFC 9457 problem detail
 * ({@code application/problem+json}). Spring MVC's own exceptions (unreadable JSON, a malformed
 * UUID in the path, an unknown route) are handled by the base class; this adds:
 * <ul>
 * <li>400 for invalid fields, with an {@code errors} array of {@code {field, message}};</li>
 * <li>404 for an unknown order;</li>
 * <li>409 for a transition the order's status does not allow (the order and the outbox are left
 * untouched), and for a concurrent change of the same order.</li>
 * </ul>
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(ProblemDetailsAdvice::fieldProblem)
			.sorted((a, b) -> a.field().compareTo(b.field()))
			.toList();
		ProblemDetail problem = ex.getBody();
		problem.setTitle("Invalid request");
		problem.setDetail(errors.size() + " field(s) are invalid");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	private static FieldProblem fieldProblem(FieldError error) {
		String message = error.getDefaultMessage();
		return new FieldProblem(error.getField(), (message != null) ? message : "is invalid");
	}

	@ExceptionHandler
	ProblemDetail orderNotFound(OrderNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Order not found");
		problem.setProperty("orderId", ex.orderId());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail illegalTransition(IllegalOrderTransitionException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Illegal order transition");
		problem.setProperty("orderId", ex.orderId());
		problem.setProperty("orderStatus", ex.status());
		problem.setProperty("action", ex.action());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(OptimisticLockingFailureException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The order was changed concurrently; read it again and retry");
		problem.setTitle("Concurrent change");
		return problem;
	}

	/**
	 * One invalid field.
	 * @param field its path in the request body, such as {@code lines[0].quantity}
	 * @param message what is wrong with it
	 */
	public record FieldProblem(String field, String message) {
	}

}
