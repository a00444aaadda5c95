package io.ringfence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container image's baked-in environment (Jib, {@code server/pom.xml}): the image runs its embedded
 * PostgreSQL when no database is given, so it must turn the demo identities off itself.
 */
class ContainerImageTest {

    @Test
    void theImageTurnsTheDemoIdentitiesOff() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList plugins = pom.getElementsByTagName("plugin");
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (!"jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                continue;
            }
            Element container = (Element) plugin.getElementsByTagName("container").item(0);
            NodeList variables = ((Element) container.getElementsByTagName("environment").item(0)).getChildNodes();
            for (int v = 0; v < variables.getLength(); v++) {
                if (variables.item(v).getNodeType() == Node.ELEMENT_NODE) {
                    environment.put(variables.item(v).getNodeName(), variables.item(v).getTextContent().trim());
                }
            }
        }
        assertThat(environment).as("the Jib container environment").containsEntry("RINGFENCE_DEMO_IDENTITIES", "false");
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
