package dev.outbox.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README and the pages under {@code docs/} hold together: every relative Markdown link points to a
 * file of the repository, every anchor to a heading of the page it names, README stays a page a
 * newcomer reads in ten minutes (at most {@value #README_MAX_LINES} lines), and none of them refers
 * to the project's issue numbers, which a reader does not have.
 */
class DocumentationLinksUnitTests {

	private static final int README_MAX_LINES = 300;

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

	private static final Pattern ISSUE_NUMBER = Pattern.compile("(?i)\\bissues?\\s*#?\\d+");

	@Test
	void everyRelativeLinkResolvesToAFileAndEveryAnchorToAHeading() {
		Set<String> broken = new LinkedHashSet<>();
		int checked = 0;
		for (Path page : pages()) {
			for (String target : links(page)) {
				if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					continue; // https:, mailto: and the like are not files of the repository
				}
				checked++;
				int hash = target.indexOf('#');
				String file = (hash < 0) ? target : target.substring(0, hash);
				String anchor = (hash < 0) ? null : target.substring(hash + 1);
				Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				if (!Files.exists(resolved)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no file " + ROOT.relativize(resolved) + ")");
				}
				else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no heading with anchor #" + anchor + " in "
							+ ROOT.relativize(resolved) + ")");
				}
			}
		}
		assertThat(checked).as("relative links found in README.md and docs/").isGreaterThan(20);
		assertThat(broken).as("broken links in README.md and docs/").isEmpty();
	}

	@Test
	void readmeIsAtMostThreeHundredLines() {
		assertThat(lines(ROOT.resolve("README.md")))
			.as("README.md is for the newcomer: give a new feature a paragraph there and its details a page in docs/")
			.hasSizeLessThanOrEqualTo(README_MAX_LINES);
	}

	@Test
	void noPageRefersToAnIssueNumber() {
		List<String> references = new ArrayList<>();
		for (Path page : pages()) {
			List<String> lines = lines(page);
			for (int i = 0; i < lines.size(); i++) {
				Matcher matcher = ISSUE_NUMBER.matcher(lines.get(i).replaceAll("\\(https?://[^)]*\\)", ""));
				if (matcher.find()) {
					references.add(ROOT.relativize(page) + ":" + (i + 1) + ": " + matcher.group());
				}
			}
		}
		assertThat(references).as("issue numbers in README.md and docs/ (say what the issue asked instead)").isEmpty();
	}

	@Test
	void headingAnchorsFollowGitHubsRules() {
		assertThat(anchorsOf(List.of("# Consuming: the inbox", "## The replication role's least privileges",
				"### `outbox.write-mode`", "## Health", "## Health", "```", "# not a heading", "```")))
			.containsExactly("consuming-the-inbox", "the-replication-roles-least-privileges", "outboxwrite-mode",
					"health", "health-1");
	}

	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(pages).allSatisfy((page) -> assertThat(page).isRegularFile());
		return pages;
	}

	private static List<String> links(Path page) {
		List<String> targets = new ArrayList<>();
		for (String line : outsideCodeBlocks(lines(page))) {
			Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`(?!\\])", "``"));
			while (matcher.find()) {
				targets.add(matcher.group(1));
			}
		}
		return targets;
	}

	private static Set<String> anchors(Path page) {
		return anchorsOf(lines(page));
	}

	/**
	 * GitHub's anchors: the heading's text in lower case, without inline-code backticks and
	 * punctuation other than {@code -} and {@code _}, spaces turned into {@code -}; a repeated one
	 * gets {@code -1}, {@code -2}, ...
	 */
	private static Set<String> anchorsOf(List<String> lines) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : outsideCodeBlocks(lines)) {
			Matcher matcher = HEADING.matcher(line);
			if (matcher.matches()) {
				String slug = matcher.group(1).toLowerCase(Locale.ROOT)
					.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
					.replaceAll("[^\\p{L}\\p{N} _-]", "")
					.replace(' ', '-');
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

	private static List<String> outsideCodeBlocks(List<String> lines) {
		List<String> outside = new ArrayList<>();
		boolean inCode = false;
		for (String line : lines) {
			if (line.stripLeading().startsWith("```")) {
				inCode = !inCode;
			}
			else if (!inCode) {
				outside.add(line);
			}
		}
		return outside;
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

}
