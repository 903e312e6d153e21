/*
 * cmd_fill.c - "mamori fill": answer an instrument in the terminal, one
 * question at a time, skipping what does not apply, re-asking when the
 * engine rejects an answer, and saving a response JSON.
 *
 * Prompts go to stderr so that stdout can carry the JSON. When stdin is
 * not a terminal it reads one answer per line, so it can be scripted.
 * Relevance, constraints and messages all come from the engine: this file
 * must never decide on its own whether an answer is acceptable.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/response_out.h"
#include "cli/words.h"
#include "instrument/instrument.h"
#include "util/num.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct fill {
	const struct instrument *ins;
	struct validator *v;
	json_t *resp;
	struct vopts vo;
	int tty;
	int eof;
	FILE *in;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* One line of input without its newline; NULL at the end of input. */
static char *read_line(struct fill *f, struct strbuf *line)
{
	int c;

	strbuf_reset(line);
	if (f->eof)
		return NULL;
	while ((c = fgetc(f->in)) != EOF && c != '\n')
		xcheck_oom(strbuf_addch(line, (char)c));
	if (c == EOF && line->len == 0) {
		f->eof = 1;
		return NULL;
	}
	if (line->len && line->buf[line->len - 1] == '\r')
		strbuf_setlen(line, line->len - 1);
	if (!f->tty)
		say("%s\n", line->buf);	/* echo scripted answers */
	return line->buf;
}

static const struct vresult *revalidate(struct fill *f)
{
	const struct vresult *r;
	if (instrument_validate(f->v, f->resp, &f->vo, &r))
		xcheck_oom(MAMORI_ENOMEM);
	return r;
}

/* The first error the engine reports for path, or NULL. */
static const struct verror *error_for(const struct vresult *r, const char *path)
{
	for (size_t i = 0; i < r->nerrors; i++)
		if (!strcmp(r->errors[i].item, path))
			return &r->errors[i];
	return NULL;
}

static void show_question(struct fill *f, const struct item *it, int row)
{
	enum lang lang = f->vo.lang;
	char name[96];

	words_item_name(f->ins, it, lang, name, sizeof(name));
	if (row >= 0)
		say("\n%s [%d] %s%s\n", i18n_get(&f->ins->items[it->repeat].label, lang),
		    row + 1, it->number ? name : "", it->number ? " " : "");
	say("\n%s%s%s%s\n", it->number ? name : "", it->number ? "  " : "",
	    i18n_get(&it->label, lang),
	    it->required ? (lang == LANG_JA ? "（必須）" : " (required)") : "");
	if (it->hint.text[0] || it->hint.text[1])
		say("  %s\n", i18n_get(&it->hint, lang));
	if (it->list)
		for (size_t i = 0; i < it->list->n; i++)
			say("  %zu) %s\n", i + 1,
			    i18n_get(&it->list->choices[i].label, lang));
	if (it->type == ITEM_SELECT_MULTIPLE)
		say(lang == LANG_JA ? "  （番号を空白区切りで複数選べます）\n"
				    : "  (several numbers, separated by spaces)\n");
	if (it->guidance.text[0] || it->guidance.text[1])
		say(lang == LANG_JA ? "  （? で回答の手引きを表示）\n"
				    : "  (? shows the answer guide)\n");
}

/* Turn typed text into the JSON answer for it; NULL when it cannot be. */
static json_t *to_answer(const struct item *it, const char *text)
{
	struct slice s = slice_trim(slice_from_cstr(text));
	int64_t k;

	if (s.len == 0)
		return NULL;
	if (it->type == ITEM_SELECT_ONE) {
		if (!num_parse_i64(s, &k) && k >= 1 && (size_t)k <= it->list->n)
			return json_string(it->list->choices[k - 1].value);
		return json_stringn(s.p, s.len);
	}
	if (it->type == ITEM_SELECT_MULTIPLE) {
		json_t *a = json_array();
		size_t i = 0;
		while (i < s.len) {
			while (i < s.len && (s.p[i] == ' ' || s.p[i] == ','))
				i++;
			size_t st = i;
			while (i < s.len && s.p[i] != ' ' && s.p[i] != ',')
				i++;
			if (i == st)
				break;
			struct slice t = slice_make(s.p + st, i - st);
			if (!num_parse_i64(t, &k) && k >= 1 &&
			    (size_t)k <= it->list->n)
				json_array_append_new(
					a, json_string(it->list->choices[k - 1].value));
			else
				json_array_append_new(a, json_stringn(t.p, t.len));
		}
		return a;
	}
	return json_stringn(s.p, s.len);
}

/*
 * Ask item (in obj under its id) until the engine accepts the answer or
 * the input ends. Returns 0, or -1 at the end of input.
 */
static int ask(struct fill *f, const struct item *it, json_t *obj, int row,
	       const char *path)
{
	struct strbuf line = STRBUF_INIT;
	enum lang lang = f->vo.lang;

	show_question(f, it, row);
	for (;;) {
		say("> ");
		if (!read_line(f, &line)) {
			strbuf_release(&line);
			return -1;
		}
		if (!strcmp(line.buf, "?")) {
			say("%s\n", i18n_get(&it->guidance, lang));
			continue;
		}
		json_t *ans = to_answer(it, line.buf);
		if (ans)
			json_object_set_new(obj, it->id, ans);
		else
			json_object_del(obj, it->id);
		const struct vresult *r = revalidate(f);
		const struct verror *e = error_for(r, path);
		if (e) {
			say("  ! %s\n", e->message);
			json_object_del(obj, it->id);
			continue;
		}
		break;
	}
	strbuf_release(&line);
	return 0;
}

static int yes(const char *s)
{
	return !strcmp(s, "y") || !strcmp(s, "yes") || !strcmp(s, "はい") ||
	       !strcmp(s, "1");
}

static int ask_repeat(struct fill *f, const struct item *rep)
{
	enum lang lang = f->vo.lang;
	json_t *rows = json_array();
	struct strbuf line = STRBUF_INIT;
	char path[256];
	int rc = 0;

	json_object_set_new(f->resp, rep->id, rows);
	say("\n■ %s\n", i18n_get(&rep->label, lang));
	if (rep->hint.text[0] || rep->hint.text[1])
		say("  %s\n", i18n_get(&rep->hint, lang));
	for (;;) {
		size_t n = json_array_size(rows);
		if (rep->max_rows && n >= rep->max_rows)
			break;
		if (n >= rep->min_rows) {
			say(lang == LANG_JA ? "\n行を追加しますか（現在 %zu 行）[y/n] > "
					    : "\nAdd a row (%zu so far)? [y/n] > ",
			    n);
			if (!read_line(f, &line)) {
				rc = -1;
				break;
			}
			if (!yes(line.buf))
				break;
		}
		json_t *row = json_object();
		json_array_append_new(rows, row);
		revalidate(f);
		for (size_t j = rep->index + 1;
		     j < f->ins->nitems && f->ins->items[j].repeat == (int)rep->index;
		     j++) {
			const struct item *it = &f->ins->items[j];
			if (it->type < ITEM_TEXT || it->type > ITEM_SELECT_MULTIPLE)
				continue;
			revalidate(f);
			if (!validator_relevant(f->v, j, n))
				continue;
			snprintf(path, sizeof(path), "%s[%zu].%s", rep->id, n + 1,
				 it->id);
			if (ask(f, it, row, (int)n, path)) {
				rc = -1;
				goto out;
			}
		}
	}
out:
	strbuf_release(&line);
	return rc;
}

static int usage(FILE *o)
{
	fprintf(o,
		"usage: mamori fill INSTRUMENT [-o FILE] [--lang ja|en] [--today DATE] [--org JSON]\n\n"
		"Asks the instrument's questions one by one in the terminal, skipping\n"
		"those that do not apply, and saves the answers as a response JSON\n"
		"(to FILE, or standard output). Type '?' for a question's answer guide,\n"
		"a choice's number or value, and an empty line to leave a question\n"
		"unanswered. When standard input is not a terminal, one answer per\n"
		"line is read, so the command can be scripted.\n\n"
		"Exit status: 0 the response is valid, 1 it is not (it is saved\n"
		"anyway), 2 bad usage or unreadable instrument.\n");
	return o == stdout ? EXIT_OK : EXIT_USAGE;
}

int cmd_fill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "today", required_argument, NULL, 't' },
		{ "org", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fill f = { .in = stdin };
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	const char *out = NULL;
	json_t *org = NULL;
	int c, l, rc = EXIT_USAGE;

	f.vo.lang = LANG_JA;
	while ((c = getopt_long(argc, argv, "o:l:t:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			if ((l = lang_parse(optarg)) < 0)
				return cli_usage_error("--lang must be ja or en");
			f.vo.lang = (enum lang)l;
			break;
		case 't':
			f.vo.today = optarg;
			break;
		case 'g': {
			json_error_t je;
			json_decref(org);
			org = json_loads(optarg, 0, &je);
			if (!json_is_object(org)) {
				json_decref(org);
				return cli_usage_error("--org must be a JSON object");
			}
			break;
		}
		case 'h':
			return usage(stdout);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		json_decref(org);
		return usage(stderr);
	}
	f.vo.org = org;
	if (instrument_load_file(argv[optind], &ins, &err)) {
		fputs(err.buf, stderr);
		goto done;
	}
	f.ins = ins;
	f.tty = isatty(0);
	f.v = validator_new(ins);
	f.resp = json_object();
	if (!f.v || !f.resp)
		xcheck_oom(MAMORI_ENOMEM);
	say("%s\n", i18n_get(&ins->title, f.vo.lang));
	for (size_t i = 0; i < ins->nitems && !f.eof; i++) {
		const struct item *it = &ins->items[i];
		if (it->repeat >= 0)
			continue;
		revalidate(&f);
		if (!validator_relevant(f.v, i, 0))
			continue;
		if (it->type == ITEM_NOTE) {
			say("\n※ %s\n", i18n_get(&it->label, f.vo.lang));
		} else if (it->type == ITEM_GROUP) {
			say("\n■ %s\n", i18n_get(&it->label, f.vo.lang));
		} else if (it->type == ITEM_REPEAT) {
			if (ask_repeat(&f, it))
				break;
		} else if (it->type >= ITEM_TEXT && it->type <= ITEM_SELECT_MULTIPLE) {
			if (ask(&f, it, f.resp, -1, it->id))
				break;
		}
	}
	f.vo.normalise = true;	/* only the final result is saved */
	const struct vresult *r = revalidate(&f);
	say("\n");
	response_result_print(stderr, ins, r, f.vo.lang);
	json_t *norm = r->normalised ? r->normalised : f.resp;
	FILE *o = out ? fopen(out, "w") : stdout;
	if (!o) {
		perror(out);
		json_decref(r->normalised);
		goto done;
	}
	if (json_dumpf(norm, o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', o) == EOF || (out && fclose(o))) {
		fprintf(stderr, "mamori: cannot write %s\n", out ? out : "output");
		json_decref(r->normalised);
		goto done;
	}
	if (out)
		say(f.vo.lang == LANG_JA ? "回答を %s に保存しました\n"
					 : "saved the response to %s\n",
		    out);
	rc = r->valid ? EXIT_OK : EXIT_FINDINGS;
	json_decref(r->normalised);
done:
	json_decref(f.resp);
	json_decref(org);
	validator_free(f.v);
	instrument_free(ins);
	strbuf_release(&err);
	return rc;
}
