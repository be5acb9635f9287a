package io.conntest.cli.report;

/** Escaping for HTML text and attribute values (the five characters HTML gives meaning to). */
final class Html
{
    private Html()
    {
    }

    static String escape(final String text)
    {
        if (text == null)
        {
            return "-";
        }
        final StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
