package dev.outbox.failuresuite.rig;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a relay's JVM starts from the relay's executable jar: the shipped relay, or a lab-only
 * variant ({@link dev.outbox.failuresuite.variant}) run inside the same jar, with the jar's classes
 * and dependencies, by Spring Boot's {@code PropertiesLauncher} with the suite's classes added to
 * the class path. Either way the relay is one child JVM on the rig, killed and restarted alike.
 *
 * @param mainClass the JVM's main class
 * @param jvmOptions options it needs besides the rig's
 */
public record RelayLaunch(String mainClass, List<String> jvmOptions) {

	/** The shipped relay: the launcher named in the manifest of every Spring Boot 4 executable jar. */
	public static final RelayLaunch SHIPPED = new RelayLaunch("org.springframework.boot.loader.launch.JarLauncher",
			List.of());

	/** Defensive copy. */
	public RelayLaunch {
		jvmOptions = List.copyOf(jvmOptions);
	}

	/**
	 * A lab-only variant: its main class runs in place of the relay's, inside the relay's jar.
	 * @param mainClass the variant's main class, by name (loading it here would need the relay's classes)
	 * @return how to launch it
	 */
	public static RelayLaunch variant(String mainClass) {
		return new RelayLaunch("org.springframework.boot.loader.launch.PropertiesLauncher",
				List.of("-Dloader.main=" + mainClass, "-Dloader.path=" + suiteClasses()));
	}

	private static Path suiteClasses() {
		try {
			return Path.of(RelayLaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Cannot locate the failure suite's classes: " + ex, ex);
		}
	}

}
