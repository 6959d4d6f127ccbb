package dev.outbox.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's published surface: the BOM pins exactly the modules that are published (those
 * that do not skip deployment), at the parent's version, and the metadata Maven Central
 * requires is in the parent POM and the BOM. scripts/release-check.sh checks a built bundle;
 * this test keeps the POMs from drifting between its runs.
 */
class PublishedArtifactsUnitTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	@Test
	void bomPinsEveryPublishedModuleAtTheParentsVersionAndNothingElse() throws Exception {
		Element parent = pom(ROOT.resolve("pom.xml"));
		Element bom = pom(ROOT.resolve("outbox-bom/pom.xml"));
		assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
		Set<String> published = new TreeSet<>();
		for (String module : children(first(parent, "modules"), "module")) {
			Element modulePom = pom(ROOT.resolve(module).resolve("pom.xml"));
			boolean skipsDeploy = first(modulePom, "properties") != null
					&& "true".equals(child(first(modulePom, "properties"), "maven.deploy.skip"));
			if (!skipsDeploy && !"pom".equals(child(modulePom, "packaging"))) {
				published.add(child(modulePom, "artifactId"));
			}
		}
		Set<String> pinned = new TreeSet<>();
		NodeList dependencies = first(bom, "dependencyManagement").getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			assertThat(child(dependency, "version")).isEqualTo("${project.version}");
			pinned.add(child(dependency, "artifactId"));
		}
		assertThat(published).contains("outbox-spring-boot-starter", "outbox-relay", "outbox-contract");
		assertThat(pinned).isEqualTo(published);
	}

	@Test
	void parentAndBomCarryTheMetadataMavenCentralRequires() throws Exception {
		for (Element pom : List.of(pom(ROOT.resolve("pom.xml")), pom(ROOT.resolve("outbox-bom/pom.xml")))) {
			assertThat(child(pom, "name")).isNotBlank();
			assertThat(child(pom, "description")).isNotBlank();
			assertThat(child(pom, "url")).startsWith("https://");
			assertThat(child(first(first(pom, "licenses"), "license"), "name")).isEqualTo("Apache License, Version 2.0");
			assertThat(first(first(pom, "developers"), "developer")).isNotNull();
			assertThat(child(first(pom, "scm"), "connection")).startsWith("scm:git:");
		}
		assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
	}

	private static Element pom(Path file) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		Document document = factory.newDocumentBuilder().parse(file.toFile());
		return document.getDocumentElement();
	}

	/** The first direct child element of that name, or null. */
	private static Element first(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child;
			}
		}
		return null;
	}

	private static String child(Element element, String name) {
		Element child = first(element, name);
		return (child != null) ? child.getTextContent().trim() : null;
	}

	private static List<String> children(Element element, String name) {
		List<String> values = new ArrayList<>();
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				values.add(child.getTextContent().trim());
			}
		}
		return values;
	}

}
