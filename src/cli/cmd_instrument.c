/*
 * cmd_instrument.c - "mamori instrument check|show": check instrument
 * files and print them as a respondent would read them. Only translates
 * between people and the engine; must never interpret expressions itself.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/words.h"
#include "instrument/expr.h"
#include "instrument/instrument.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int load_or_report(const char *path, struct instrument **out)
{
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e = instrument_load_file(path, out, &err);

	if (e) {
		fputs(err.buf, stderr);
		if (err.len == 0)
			fprintf(stderr, "%s: %s\n", path, mamori_strerror(e));
		strbuf_release(&err);
		xcheck_oom(e);
		return e == MAMORI_ENOENT || e == MAMORI_EIO ? EXIT_USAGE
							     : EXIT_FINDINGS;
	}
	strbuf_release(&err);
	return EXIT_OK;
}

static int parse_lang_opt(const char *arg, enum lang *out)
{
	int l = lang_parse(arg);
	if (l < 0)
		return cli_usage_error("--lang must be ja or en, not '%s'", arg);
	*out = (enum lang)l;
	return EXIT_OK;
}

/* ---- check ---------------------------------------------------------- */

static int check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, quiet = 0, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			printf("usage: mamori instrument check [--quiet] FILE...\n\n"
			       "Checks each instrument file against docs/instrument-format.md.\n"
			       "Prints every error as file:line:col: item: message.\n"
			       "Exit status: 0 all valid, 1 errors found, 2 a file cannot be read.\n");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("instrument check: name at least one FILE");
	for (int i = optind; i < argc; i++) {
		struct instrument *ins = NULL;
		int rc = load_or_report(argv[i], &ins);
		if (rc) {
			if (rc > status)
				status = rc;
			continue;
		}
		if (!quiet)
			printf("%s: ok: %s %s, %zu items, %zu choice lists, "
			       "%zu indicators, %zu findings\n",
			       argv[i], ins->id, ins->version, ins->nitems,
			       ins->nlists, ins->nindicators, ins->nfindings);
		instrument_free(ins);
	}
	return status;
}

/* ---- show ----------------------------------------------------------- */

struct show {
	const struct instrument *ins;
	enum lang lang;
	int guidance;
	FILE *out;
};

static void print_block(FILE *f, const char *indent, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%s%.*s\n", indent, (int)len, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void show_item(struct show *s, const struct item *it, const char *indent)
{
	const char *ja = s->lang == LANG_JA ? "1" : NULL;
	char number[64];
	struct strbuf sb = STRBUF_INIT;
	char ind2[64];

	snprintf(ind2, sizeof(ind2), "%s      ", indent);
	words_item_name(s->ins, it, s->lang, number, sizeof(number));
	switch (it->type) {
	case ITEM_CALCULATE:
		return;
	case ITEM_GROUP:
	case ITEM_REPEAT:
		if (it->number)
			fprintf(s->out, "\n%s■ %s  %s\n", indent, number,
				i18n_get(&it->label, s->lang));
		else
			fprintf(s->out, "\n%s■ %s\n", indent,
				i18n_get(&it->label, s->lang));
		break;
	case ITEM_NOTE:
		fprintf(s->out, "\n%s※ %s\n", indent,
			i18n_get(&it->label, s->lang));
		break;
	default:
		fprintf(s->out, "\n%s%s  %s%s\n", indent, number,
			i18n_get(&it->label, s->lang),
			it->required ? (ja ? "  ［必須］" : "  [required]") : "");
		break;
	}
	if (it->relevant) {
		words_condition(s->ins, it->relevant, s->lang, &sb);
		fprintf(s->out, ja ? "%s→ 回答する条件: %s\n"
				   : "%s→ only if %s\n",
			ind2, sb.buf);
		strbuf_reset(&sb);
	}
	if (it->required_if) {
		words_condition(s->ins, it->required_if, s->lang, &sb);
		fprintf(s->out, ja ? "%s→ 必須となる条件: %s\n"
				   : "%s→ required if %s\n",
			ind2, sb.buf);
		strbuf_reset(&sb);
	}
	if (it->hint.text[0] || it->hint.text[1])
		print_block(s->out, ind2, i18n_get(&it->hint, s->lang));
	switch (it->type) {
	case ITEM_SELECT_ONE:
	case ITEM_SELECT_MULTIPLE:
		for (size_t i = 0; i < it->list->n; i++)
			fprintf(s->out, "%s%s %s\n", ind2,
				it->type == ITEM_SELECT_ONE ? "( )" : "[ ]",
				i18n_get(&it->list->choices[i].label, s->lang));
		break;
	case ITEM_INTEGER:
		fprintf(s->out, "%s%s\n", ind2, ja ? "［整数］" : "[whole number]");
		break;
	case ITEM_DECIMAL:
		fprintf(s->out, "%s%s\n", ind2, ja ? "［数値］" : "[number]");
		break;
	case ITEM_DATE:
		fprintf(s->out, "%s%s\n", ind2,
			ja ? "［日付 YYYY-MM-DD］" : "[date YYYY-MM-DD]");
		break;
	case ITEM_TEXT:
		fprintf(s->out, "%s%s\n", ind2, ja ? "［記述］" : "[text]");
		break;
	case ITEM_REPEAT:
		if (it->max_rows)
			fprintf(s->out,
				ja ? "%s（%u〜%u 件を記入）\n"
				   : "%s(list %u to %u entries)\n",
				ind2, it->min_rows, it->max_rows);
		else
			fprintf(s->out,
				ja ? "%s（%u 件以上を記入）\n"
				   : "%s(list at least %u entries)\n",
				ind2, it->min_rows);
		break;
	default:
		break;
	}
	if (it->constraint) {
		const char *m = i18n_get(&it->constraint_message, s->lang);
		if (*m)
			fprintf(s->out, ja ? "%s条件: %s\n" : "%scondition: %s\n",
				ind2, m);
	}
	if (s->guidance && (it->guidance.text[0] || it->guidance.text[1])) {
		fprintf(s->out, ja ? "%s［回答の手引き］\n"
				   : "%s[answer guide]\n",
			ind2);
		print_block(s->out, ind2, i18n_get(&it->guidance, s->lang));
	}
	if (s->guidance)
		for (size_t i = 0; i < it->nreferences; i++)
			fprintf(s->out, ja ? "%s参考: %s\n" : "%ssee: %s\n",
				ind2, i18n_get(&it->references[i], s->lang));
	if (it->nchildren) {
		char deeper[64];
		snprintf(deeper, sizeof(deeper), "%s  ", indent);
		for (size_t i = 0; i < it->nchildren; i++)
			show_item(s, &s->ins->items[it->children[i]], deeper);
	}
	strbuf_release(&sb);
}

static void show_measures(struct show *s)
{
	const struct instrument *ins = s->ins;
	int ja = s->lang == LANG_JA;
	struct strbuf sb = STRBUF_INIT;

	if (ins->nindicators)
		fprintf(s->out, ja ? "\n== 指標\n" : "\n== Indicators\n");
	for (size_t i = 0; i < ins->nindicators; i++) {
		const struct indicator *d = &ins->indicators[i];
		fprintf(s->out, "\n  %s (%s)\n", i18n_get(&d->label, s->lang),
			d->id);
		if (d->population) {
			words_condition(ins, d->population, s->lang, &sb);
			fprintf(s->out, ja ? "      対象: %s\n"
					   : "      among: %s\n",
				sb.buf);
			strbuf_reset(&sb);
		} else {
			fprintf(s->out, ja ? "      対象: 全回答者\n"
					   : "      among: every respondent\n");
		}
		words_condition(ins, d->met, s->lang, &sb);
		fprintf(s->out, ja ? "      該当: %s\n" : "      counts: %s\n",
			sb.buf);
		strbuf_reset(&sb);
		if (d->polarity == POLARITY_GOOD)
			fprintf(s->out, ja ? "      該当すると: 良好（対策）\n"
					   : "      meeting it is: good (a measure)\n");
		else if (d->polarity == POLARITY_BAD)
			fprintf(s->out, ja ? "      該当すると: 要対応（リスク）\n"
					   : "      meeting it is: a risk (needs attention)\n");
	}
	if (ins->nfindings)
		fprintf(s->out, ja ? "\n== 指摘事項\n" : "\n== Findings\n");
	for (size_t i = 0; i < ins->nfindings; i++) {
		const struct finding *f = &ins->findings[i];
		fprintf(s->out, "\n  [%s] %s (%s)\n", severity_name(f->severity),
			i18n_get(&f->title, s->lang), f->id);
		words_condition(ins, f->when, s->lang, &sb);
		fprintf(s->out, ja ? "      条件: %s\n" : "      when: %s\n",
			sb.buf);
		strbuf_reset(&sb);
	}
	strbuf_release(&sb);
}

static int show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "guidance", no_argument, NULL, 'g' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct show s = { .lang = LANG_JA, .out = stdout };
	struct instrument *ins = NULL;
	int c, all = 0, rc;

	while ((c = getopt_long(argc, argv, "l:gah", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if ((rc = parse_lang_opt(optarg, &s.lang)))
				return rc;
			break;
		case 'g':
			s.guidance = 1;
			break;
		case 'a':
			all = 1;
			s.guidance = 1;
			break;
		case 'h':
			printf("usage: mamori instrument show FILE [--lang ja|en] [--guidance] [--all]\n\n"
			       "Prints the questionnaire as a respondent reads it: numbered\n"
			       "questions, choices, and the skip logic in words.\n"
			       "  --guidance   include the answer guide and references\n"
			       "  --all        also the indicators and findings\n");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("instrument show: name one FILE");
	if ((rc = load_or_report(argv[optind], &ins)))
		return rc;
	s.ins = ins;
	fprintf(s.out, "%s\n", i18n_get(&ins->title, s.lang));
	fprintf(s.out, "%s %s · %s · %s %s\n",
		s.lang == LANG_JA ? "発行:" : "issued by", ins->issuer,
		ins->id, s.lang == LANG_JA ? "版" : "version", ins->version);
	if (ins->description.text[0] || ins->description.text[1]) {
		fputc('\n', s.out);
		print_block(s.out, "", i18n_get(&ins->description, s.lang));
	}
	for (size_t i = 0; i < ins->nitems; i++)
		if (ins->items[i].parent < 0)
			show_item(&s, &ins->items[i], "");
	if (all)
		show_measures(&s);
	instrument_free(ins);
	return EXIT_OK;
}

static const struct cli_cmd verbs[] = {
	{ .name = "check", .fn = check,
	  .summary = "check instrument files; every error as file:line:col" },
	{ .name = "show", .fn = show,
	  .summary = "print an instrument as a respondent reads it" },
	{ .name = NULL },
};

int cmd_instrument(int argc, char **argv)
{
	return cli_dispatch(verbs, "mamori instrument", argc - 1, argv + 1);
}
