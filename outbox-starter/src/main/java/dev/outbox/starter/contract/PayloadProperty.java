package dev.outbox.starter.contract;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotatedParameter;
import tools.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * Whether the mapper always writes one property, and whether it may write it as null: the
 * required/nullable rule of {@link PayloadSchemaGenerator}, from the property's inclusion and
 * whether its value may be absent.
 *
 * @param alwaysWritten whether every payload carries the property (it goes into
 * {@code required})
 * @param writesNull whether its value may be written as {@code null}
 */
record PayloadProperty(boolean alwaysWritten, boolean writesNull) {

	static PayloadProperty of(SerializationContext context, JavaType beanType, BeanProperty property) {
		JavaType type = property.getType();
		boolean reference = type.isReferenceType();
		boolean mayBeNull = !type.isPrimitive() && annotatedNullable(context, beanType, property);
		boolean emptyContainerLeftOut = (type.isContainerType() || type.isArrayType())
				&& !context.isEnabled(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS);
		JsonInclude.Include inclusion = property.findPropertyInclusion(context.getConfig(), type.getRawClass())
			.getValueInclusion();
		switch (inclusion) {
			case NON_NULL:
				return new PayloadProperty(!mayBeNull && !emptyContainerLeftOut, reference);
			case NON_ABSENT:
				return new PayloadProperty(!mayBeNull && !reference && !emptyContainerLeftOut, false);
			case NON_EMPTY:
			case NON_DEFAULT:
				return new PayloadProperty(false, false);
			case CUSTOM:
				return new PayloadProperty(false, mayBeNull || reference);
			case ALWAYS:
			case USE_DEFAULTS:
			default:
				return new PayloadProperty(!emptyContainerLeftOut, mayBeNull || reference);
		}
	}

	/**
	 * Whether the property carries an annotation named {@code Nullable} on any of its members
	 * (field, getter, constructor parameter) or on their types (JSpecify's type-use form).
	 */
	private static boolean annotatedNullable(SerializationContext context, JavaType beanType, BeanProperty property) {
		List<AnnotatedElement> elements = new ArrayList<>();
		addMember(elements, property.getMember());
		if (!beanType.isContainerType()) {
			BeanDescription description = context.introspectBeanDescription(beanType);
			for (BeanPropertyDefinition definition : description.findProperties()) {
				if (definition.getName().equals(property.getName())) {
					addMember(elements, definition.getField());
					addMember(elements, definition.getGetter());
					addMember(elements, definition.getConstructorParameter());
				}
			}
		}
		for (AnnotatedElement element : elements) {
			if (named(element.getAnnotations()) || named(annotatedType(element))) {
				return true;
			}
		}
		return false;
	}

	private static void addMember(List<AnnotatedElement> elements, @Nullable AnnotatedMember member) {
		if (member instanceof AnnotatedParameter parameter) {
			if (parameter.getOwner().getAnnotated() instanceof Executable executable
					&& parameter.getIndex() < executable.getParameterCount()) {
				elements.add(executable.getParameters()[parameter.getIndex()]);
			}
		}
		else if (member != null && member.getAnnotated() != null) {
			elements.add(member.getAnnotated());
		}
	}

	private static Annotation[] annotatedType(AnnotatedElement element) {
		AnnotatedType type = null;
		if (element instanceof Field field) {
			type = field.getAnnotatedType();
		}
		else if (element instanceof Method method) {
			type = method.getAnnotatedReturnType();
		}
		else if (element instanceof Parameter parameter) {
			type = parameter.getAnnotatedType();
		}
		return (type != null) ? type.getAnnotations() : new Annotation[0];
	}

	private static boolean named(Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			if ("Nullable".equals(annotation.annotationType().getSimpleName())) {
				return true;
			}
		}
		return false;
	}

}
