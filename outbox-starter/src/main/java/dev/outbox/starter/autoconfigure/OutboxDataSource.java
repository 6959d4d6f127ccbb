package dev.outbox.starter.autoconfigure;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.StringUtils;

/**
 * The one {@link DataSource} the outbox works on: its writes, its migration, the inbox, the
 * schema registry, the purge and the slot health indicator all use this one, never another
 * DataSource of the application.
 * <p>
 * <b>Which one.</b> The bean named by {@code outbox.datasource}; without it, the application's
 * only DataSource, or its {@code @Primary} one. With several, none primary and no setting, there
 * is no safe guess: {@link #resolve} throws {@link AmbiguousOutboxDataSourceException}, which
 * fails startup naming the candidates and the property. The outbox never switches itself off for
 * a second DataSource (its {@code @OutboxEvent} methods would then publish nothing).
 * <p>
 * <b>Which database.</b> The outbox works on PostgreSQL only (its events travel through the
 * WAL). {@link #ifPostgreSql} gives the starter's startup work (migration, registry, purge,
 * cleanup, health) a single place that skips it on another database, with an INFO line saying
 * why, so that a test slice on H2 starts. The database is read from the connection's metadata
 * once; when no connection can be had at startup it is taken to be PostgreSQL, the supported
 * case, so that behaviour stays as before and the connection error shows at first use.
 */
public final class OutboxDataSource {

	private static final Log logger = LogFactory.getLog(OutboxDataSource.class);

	/** The property that names the outbox's DataSource bean. */
	public static final String PROPERTY = "outbox.datasource";

	private final String beanName;

	private final DataSource dataSource;

	private volatile @Nullable String databaseProduct;

	/**
	 * Create the outbox's DataSource.
	 * @param beanName the name of its bean, for messages
	 * @param dataSource the DataSource
	 */
	public OutboxDataSource(String beanName, DataSource dataSource) {
		this.beanName = beanName;
		this.dataSource = dataSource;
	}

	/**
	 * Find the outbox's DataSource among the application's.
	 * @param beanFactory the application's bean factory
	 * @param name the bean name from {@code outbox.datasource}, or {@code null}
	 * @return the outbox's DataSource
	 * @throws AmbiguousOutboxDataSourceException if the name matches no DataSource bean, or
	 * none is named while there are several and none is primary
	 */
	public static OutboxDataSource resolve(ConfigurableListableBeanFactory beanFactory, @Nullable String name) {
		List<String> candidates = Arrays.asList(beanFactory.getBeanNamesForType(DataSource.class));
		if (StringUtils.hasText(name)) {
			try {
				return new OutboxDataSource(name, beanFactory.getBean(name, DataSource.class));
			}
			catch (NoSuchBeanDefinitionException | BeanNotOfRequiredTypeException ex) {
				throw new AmbiguousOutboxDataSourceException(PROPERTY + " names '" + name
						+ "', which is not a DataSource bean", candidates);
			}
		}
		if (candidates.size() == 1) {
			return new OutboxDataSource(candidates.get(0), beanFactory.getBean(candidates.get(0), DataSource.class));
		}
		List<String> primary = candidates.stream()
			.filter((candidate) -> beanFactory.containsBeanDefinition(candidate)
					&& beanFactory.getBeanDefinition(candidate).isPrimary())
			.toList();
		if (primary.size() == 1) {
			return new OutboxDataSource(primary.get(0), beanFactory.getBean(primary.get(0), DataSource.class));
		}
		throw new AmbiguousOutboxDataSourceException("The application has " + candidates.size()
				+ " DataSource beans and " + (primary.isEmpty() ? "none" : "more than one") + " is @Primary, "
				+ "so the outbox cannot tell which one its events must be written in", candidates);
	}

	/** @return the name of the DataSource bean */
	public String beanName() {
		return this.beanName;
	}

	/** @return the DataSource */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * Whether the DataSource is a PostgreSQL database (or cannot be reached to tell).
	 * @return {@code false} only for a database known to be another product
	 */
	public boolean isPostgreSql() {
		return "PostgreSQL".equals(databaseProduct());
	}

	/**
	 * The database product of the DataSource, from its connection's metadata.
	 * @return the product name, {@code PostgreSQL} when it cannot be read
	 */
	public String databaseProduct() {
		String product = this.databaseProduct;
		if (product == null) {
			try {
				product = JdbcUtils.extractDatabaseMetaData(this.dataSource,
						DatabaseMetaData::getDatabaseProductName);
			}
			catch (MetaDataAccessException ex) {
				product = null;
			}
			product = (product != null) ? product : "PostgreSQL";
			this.databaseProduct = product;
		}
		return product;
	}

	/**
	 * Why the outbox cannot write on this DataSource, for messages.
	 * @return a sentence naming the bean and the database product
	 */
	public String notPostgreSqlReason() {
		return "the outbox's DataSource '" + this.beanName + "' is " + databaseProduct() + ", not PostgreSQL";
	}

	/**
	 * Create a bean that runs PostgreSQL SQL, or skip it on another database with an INFO line.
	 * @param <T> the bean's type
	 * @param what what is skipped, for the log line
	 * @param bean creates the bean
	 * @return the bean, or {@code null} (no bean) on another database
	 */
	<T> @Nullable T ifPostgreSql(String what, Supplier<T> bean) {
		if (isPostgreSql()) {
			return bean.get();
		}
		logger.info("Outbox: skipping " + what + ", because " + notPostgreSqlReason());
		return null;
	}

	@Override
	public String toString() {
		return "OutboxDataSource '" + this.beanName + "'";
	}

}
