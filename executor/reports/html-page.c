/* html-page.c — the frame of an HTML report (see html-page.h). */
#include "reports/html-page.h"

#include "reports/html-text.h"

#include <string.h>

static const char stylesheet[] =
	":root{color-scheme:light}\n"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;"
	"background:#fff;max-width:1120px;margin:0 auto;padding:16px 24px 48px}\n"
	"h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:0 0 8px}"
	"h3{font-size:15px;margin:18px 0 6px}\n"
	"header{border-bottom:2px solid #d5dae3;padding-bottom:10px;margin-bottom:16px}\n"
	"section{margin:0 0 22px}section.job{border:1px solid #d5dae3;border-radius:6px;"
	"padding:12px 16px}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}\n"
	"dl.facts dt{color:#5b6475}dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
	".badge{display:inline-block;padding:0 8px;border-radius:9px;font-size:12px;"
	"font-weight:600;vertical-align:middle}\n"
	".ok{background:#dff3e4;color:#17632f}.bad{background:#fbe3e1;color:#9b1c13}"
	".warn{background:#fff1d6;color:#7a4b00}\n"
	".dim{color:#5b6475;font-weight:normal}\n"
	"code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}\n"
	"table{border-collapse:collapse;margin:4px 0 12px;font-variant-numeric:tabular-nums}\n"
	"caption{text-align:left;font-weight:600;padding:4px 0}\n"
	"th,td{padding:2px 10px;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top;"
	"overflow-wrap:break-word}\n"
	"div.table{overflow-x:auto}\n"
	"th{background:#eef1f6;font-weight:600;white-space:nowrap}\n"
	".num{text-align:right}tbody tr:nth-child(even){background:#f8f9fb}\n"
	"html.js table.sortable th{cursor:pointer}html.js table.sortable th:hover{background:#e1e6ef}\n"
	"th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}\n"
	"figure.chart{margin:10px 0 16px}figcaption{font-weight:600;margin-bottom:4px}\n"
	"svg.chart{max-width:100%;height:auto;font-size:12px}\n"
	"svg .lbl{fill:#1d2330}svg .note,svg .tick{fill:#5b6475;font-size:11px}"
	"svg .grp{fill:#1d2330;font-weight:600}\n"
	"svg .b0{fill:#3567c6}svg .b1{fill:#f0a23b}svg .track{fill:#e3e7ee}\n"
	"svg .grid{stroke:#e3e7ee}svg .axis{stroke:#9aa3b2}svg .range{stroke:#3567c6;stroke-width:2}\n"
	"svg .mark{stroke:#c62f28;stroke-width:1.5;stroke-dasharray:4 3}"
	"svg .marktext{fill:#c62f28;font-weight:600;font-size:11px}\n"
	"svg.meter{vertical-align:middle;margin-right:8px}\n"
	"ul.events{list-style:none;padding:0;margin:4px 0}ul.events li{margin:2px 0}\n";

/* Sorts a table by the column whose heading is clicked (or Enter/Space on
 * it); numeric columns by value, from a cell's data-v when it has one. */
static const char script[] =
	"(function(){\n"
	"function key(c,num){var v=c.getAttribute('data-v');if(v===null)v=c.textContent;"
	"if(!num)return v.toLowerCase();var f=parseFloat(v);return isNaN(f)?-Infinity:f;}\n"
	"function sort(th){var body=th.closest('table').tBodies[0],col=th.cellIndex,"
	"num=th.classList.contains('num'),dir=th.getAttribute('aria-sort')==='ascending'?-1:1;\n"
	"var rows=Array.prototype.slice.call(body.rows);\n"
	"rows.sort(function(a,b){var x=key(a.cells[col],num),y=key(b.cells[col],num);"
	"return(x<y?-1:x>y?1:0)*dir;});\n"
	"rows.forEach(function(r){body.appendChild(r);});\n"
	"Array.prototype.forEach.call(th.parentNode.cells,function(h){h.removeAttribute('aria-sort');});\n"
	"th.setAttribute('aria-sort',dir>0?'ascending':'descending');}\n"
	"document.querySelectorAll('table.sortable th').forEach(function(th){th.tabIndex=0;"
	"th.addEventListener('click',function(){sort(th);});"
	"th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
	"e.preventDefault();sort(th);}});});\n"
	"document.documentElement.classList.add('js');\n"
	"})();\n";

/* 'sha256-BASE64' of text, as a CSP source. */
static char *csp_hash(const char *text)
{
	guint8 digest[32];
	gsize len = sizeof digest;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)text, (gssize)strlen(text));
	g_checksum_get_digest(sum, digest, &len);
	g_autofree char *b64 = g_base64_encode(digest, len);
	return g_strdup_printf("'sha256-%s'", b64);
}

void html_page_begin(GString *out, const char *title)
{
	g_autofree char *style_hash = csp_hash(stylesheet);
	g_autofree char *script_hash = csp_hash(script);
	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	g_string_append_printf(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	                       "'none'; style-src %s; script-src %s; base-uri 'none'; form-action "
	                       "'none'\">\n", style_hash, script_hash);
	g_string_append(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                     "<meta name=\"generator\" content=\"expert-exec\">\n<title>");
	html_text(out, title);
	g_string_append_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", stylesheet);
}

void html_page_end(GString *out)
{
	g_string_append_printf(out, "<script>%s</script>\n</body>\n</html>\n", script);
}

void html_table_begin(GString *out, const char *caption)
{
	g_string_append(out, "<div class=\"table\"><table class=\"sortable\">");
	if (caption) {
		g_string_append(out, "<caption>");
		html_text(out, caption);
		g_string_append(out, "</caption>");
	}
	g_string_append(out, "\n<thead><tr>");
}

void html_table_heading(GString *out, const char *text, gboolean numeric)
{
	g_string_append(out, numeric ? "<th class=\"num\">" : "<th>");
	html_text(out, text);
	g_string_append(out, "</th>");
}

void html_table_body(GString *out)
{
	g_string_append(out, "</tr></thead>\n<tbody>");
}

void html_table_row(GString *out)
{
	g_string_append(out, "\n<tr>");
}

void html_table_cell(GString *out, const char *text, gboolean numeric)
{
	g_string_append(out, numeric ? "<td class=\"num\">" : "<td>");
	html_text(out, text);
	g_string_append(out, "</td>");
}

void html_table_cell_sorted(GString *out, const char *text, double value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append_printf(out, "<td class=\"num\" data-v=\"%s\">",
	                       g_ascii_formatd(buf, sizeof buf, "%.17g", value));
	html_text(out, text);
	g_string_append(out, "</td>");
}

void html_table_end(GString *out)
{
	g_string_append(out, "\n</tbody></table></div>\n");
}

void html_facts_begin(GString *out)
{
	g_string_append(out, "<dl class=\"facts\">\n");
}

void html_fact_open(GString *out, const char *name)
{
	g_string_append(out, "<dt>");
	html_text(out, name);
	g_string_append(out, "</dt><dd>");
}

void html_fact_close(GString *out)
{
	g_string_append(out, "</dd>\n");
}

void html_fact(GString *out, const char *name, const char *value)
{
	html_fact_open(out, name);
	html_text(out, value);
	html_fact_close(out);
}

void html_facts_end(GString *out)
{
	g_string_append(out, "</dl>\n");
}

gboolean html_page_write(const char *path, const GString *page, GError **error)
{
	/* g_file_set_contents_full writes a temporary beside path and renames
	 * it over path: a reader sees the old file or the whole new one. */
	return g_file_set_contents_full(path, page->str, (gssize)page->len,
	                                G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}
