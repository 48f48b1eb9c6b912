package io.mechsweep.datagen.wikipedia;

import de.fau.cs.osr.ptk.common.AstVisitor;
import org.sweble.wikitext.engine.PageId;
import org.sweble.wikitext.engine.PageTitle;
import org.sweble.wikitext.engine.WtEngineImpl;
import org.sweble.wikitext.engine.config.WikiConfig;
import org.sweble.wikitext.engine.nodes.EngProcessedPage;
import org.sweble.wikitext.engine.utils.DefaultConfigEnWp;
import org.sweble.wikitext.parser.nodes.WtExternalLink;
import org.sweble.wikitext.parser.nodes.WtHeading;
import org.sweble.wikitext.parser.nodes.WtImageLink;
import org.sweble.wikitext.parser.nodes.WtInternalLink;
import org.sweble.wikitext.parser.nodes.WtNewline;
import org.sweble.wikitext.parser.nodes.WtNode;
import org.sweble.wikitext.parser.nodes.WtTable;
import org.sweble.wikitext.parser.nodes.WtTagExtension;
import org.sweble.wikitext.parser.nodes.WtTemplate;
import org.sweble.wikitext.parser.nodes.WtTemplateArgument;
import org.sweble.wikitext.parser.nodes.WtTemplateParameter;
import org.sweble.wikitext.parser.nodes.WtText;
import org.sweble.wikitext.parser.nodes.WtUrl;
import org.sweble.wikitext.parser.nodes.WtWhitespace;
import org.sweble.wikitext.parser.nodes.WtXmlCharRef;
import org.sweble.wikitext.parser.nodes.WtXmlAttribute;
import org.sweble.wikitext.parser.nodes.WtXmlAttributeGarbage;
import org.sweble.wikitext.parser.nodes.WtXmlAttributes;
import org.sweble.wikitext.parser.nodes.WtXmlComment;
import org.sweble.wikitext.parser.nodes.WtXmlEmptyTag;
import org.sweble.wikitext.parser.nodes.WtXmlEndTag;
import org.sweble.wikitext.parser.nodes.WtXmlEntityRef;
import org.sweble.wikitext.parser.nodes.WtXmlStartTag;

/**
 * MediaWiki markup to plain text with the Sweble parser: the prose of an article and the
 * visible text of its links stay; templates (infoboxes, citations), tables, references and other
 * tag extensions, files, categories, interwiki links, comments, bare URLs and HTML tags go.
 * Templates are not expanded, so words that only a template renders are lost (the price of not
 * running a MediaWiki). One instance per thread: the engine keeps state.
 */
public final class MarkupStripper {
  private static final java.util.regex.Pattern ENTITY = java.util.regex.Pattern.compile("&#?[A-Za-z0-9]+;");

  private final WikiConfig config = DefaultConfigEnWp.generate();
  private final WtEngineImpl engine = new WtEngineImpl(config);

  /** The page's plain text; throws when the parser gives up on the markup. */
  public String strip(String title, String wikitext) throws Exception {
    PageId id = new PageId(PageTitle.make(config, title == null || title.isBlank() ? "Untitled" : title), -1);
    EngProcessedPage page = engine.postprocess(id, wikitext, null);
    TextVisitor visitor = new TextVisitor();
    visitor.go(page.getPage());
    // Entities Sweble leaves as text (&nbsp; in running prose) separate words, nothing more.
    return ENTITY.matcher(visitor.text).replaceAll(" ");
  }

  /** Collects visible text; Sweble's AstVisitor dispatches on each node's class by reflection. */
  public static final class TextVisitor extends AstVisitor<WtNode> {
    private final StringBuilder text = new StringBuilder();

    public void visit(WtNode n) {
      iterate(n);
    }

    public void visit(WtText n) {
      text.append(n.getContent());
    }

    public void visit(WtNewline n) {
      text.append('\n');
    }

    public void visit(WtWhitespace n) {
      text.append(' ');
    }

    public void visit(WtHeading n) {
      text.append('\n');
      iterate(n);
      text.append('\n');
    }

    /** A link shows its label, or its target; links into other namespaces (Category:, File:, de:) show nothing. */
    public void visit(WtInternalLink n) {
      String target = n.getTarget().getAsString();
      if (target.contains(":")) {
        return;
      }
      if (n.hasTitle()) {
        iterate(n.getTitle());
      } else {
        text.append(target);
      }
      text.append(n.getPostfix());
    }

    public void visit(WtExternalLink n) {
      if (n.hasTitle()) {
        iterate(n.getTitle());
      }
    }

    public void visit(WtXmlEntityRef n) {
      text.append(n.getResolved() == null ? " " : n.getResolved());
    }

    public void visit(WtXmlCharRef n) {
      text.appendCodePoint(n.getCodePoint());
    }

    // What a reader does not see as prose: dropped with everything inside.
    public void visit(WtTemplate n) {}

    public void visit(WtTemplateParameter n) {}

    public void visit(WtTemplateArgument n) {}

    public void visit(WtTagExtension n) {}

    public void visit(WtTable n) {}

    public void visit(WtImageLink n) {}

    public void visit(WtXmlComment n) {}

    public void visit(WtUrl n) {}

    // HTML tags themselves (<small>, <br/>): their content, visited as the element's body, stays.
    public void visit(WtXmlStartTag n) {}

    public void visit(WtXmlEndTag n) {}

    public void visit(WtXmlEmptyTag n) {}

    // Attributes of HTML elements (style="width:350px") are not text either.
    public void visit(WtXmlAttributes n) {}

    public void visit(WtXmlAttribute n) {}

    public void visit(WtXmlAttributeGarbage n) {}
  }
}
