package dev.outbox.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestDatabase} parameters: one fresh database per test class, in the shared
 * {@link PostgresServer}. Use it through {@link PostgresTest}.
 */
public final class PostgresExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(PostgresExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == TestDatabase.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ExtensionContext classContext = classContext(extensionContext);
		Class<?> testClass = classContext.getRequiredTestClass();
		return classContext.getStore(NAMESPACE)
			.computeIfAbsent(TestDatabase.class,
					key -> PostgresServer.shared().createDatabase(testClass.getSimpleName()), TestDatabase.class);
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

}
