{% load i18n static %}<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="{{ LANGUAGE_CODE|default:'en' }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> · {% translate "Atom feed" %}</title>
        <link rel="stylesheet" href="{% static 'css/site.css' %}"/>
      </head>
      <body>
        <main id="main" class="wrap">
          <div class="notice" role="note">
            <p><strong>{% translate "This is an Atom feed," %}</strong> {% translate "meant for a feed reader (for example Thunderbird, Feedly, Inoreader or NetNewsWire): copy this page's address from the address bar and add it to your reader to hear about new progress without coming back." %}</p>
            <p><a><xsl:attribute name="href"><xsl:value-of select="atom:link[@rel='related']/@href"/></xsl:attribute>{% translate "How to follow: e-mail, feed reader or calendar" %}</a></p>
          </div>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="muted"><xsl:value-of select="atom:subtitle"/></p>
          <p><a><xsl:attribute name="href"><xsl:value-of select="atom:link[@rel='alternate']/@href"/></xsl:attribute>{% translate "Open the page" %}</a></p>
          <ul class="feed-entries">
            <xsl:for-each select="atom:entry">
              <li>
                <a><xsl:attribute name="href"><xsl:value-of select="atom:link/@href"/></xsl:attribute><xsl:value-of select="atom:title"/></a>
                <span class="muted"> — <xsl:value-of select="substring(atom:published, 1, 10)"/></span>
              </li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
