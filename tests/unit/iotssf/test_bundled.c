/*
 * test_bundled.c - the bundled models against their source: the AGV
 * warehouse use case carries every stakeholder, device, risk and measure
 * of the IoT-SSF use-case collection and maps as its figure shows; every
 * bundled model and the template load and assess.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "helpers.h"

#define MODELS_DIR SOURCE_ROOT "/instruments/meti/iot-ssf"

static char *slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

static void load_file(struct iot_model *m, const struct iot_catalog *cat,
		      const char *path)
{
	struct strbuf err = STRBUF_INIT;
	size_t len;
	char *buf = slurp(path, &len);

	iot_model_init(m, cat);
	if (iot_model_parse(m, path, buf, len, &err) != MAMORI_OK)
		fail_msg("%s", err.buf);
	free(buf);
	strbuf_release(&err);
}

static size_t count_devices(const struct iot_model *m, const char *ja)
{
	size_t n = 0;
	for (size_t i = 0; i < m->ndevices; i++)
		n += strstr(m->devices[i].name.ja, ja) != NULL;
	return n;
}

static void agv_against_seed(void **state)
{
	struct iot_catalog cat;
	struct iot_model m;
	struct iot_assessment a;
	(void)state;
	load_catalog(&cat);
	load_file(&m, &cat, MODELS_DIR "/agv-warehouse.yaml");

	/* Stakeholders and their roles. */
	static const struct { const char *ja; enum iot_role role; } st[] = {
		{ "物流事業者", IOT_ROLE_APPLYING_PARTY },
		{ "システムインテグレータ", IOT_ROLE_INTEGRATOR },
		{ "AGV製造事業者", IOT_ROLE_MANUFACTURER },
	};
	assert_int_equal(m.nstakeholders, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(m.stakeholders[i].name.ja, st[i].ja);
		assert_int_equal(m.stakeholders[i].role, st[i].role);
	}

	/* Every device of the configuration figure, with its count there. */
	static const struct { const char *ja; size_t n; } dev[] = {
		{ "WMS", 3 },	/* the server and its two terminals' labels */
		{ "WCS", 3 },
		{ "AGV（無人搬送機）", 2 }, { "操作用端末", 2 }, { "保守用端末", 2 },
		{ "FW", 2 }, { "安全制御PLC", 1 }, { "ルータ", 1 },
		{ "インターネット", 1 },
	};
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		if (count_devices(&m, dev[i].ja) != dev[i].n)
			fail_msg("%s: %zu devices", dev[i].ja, count_devices(&m, dev[i].ja));
	assert_int_equal(m.ndevices, 13);

	/* The four risks of the collection, each for its stakeholder. */
	static const struct { const char *text, *stake; } risks[] = {
		{ "外部から倉庫管理システムが不正にアクセス。保存されている在庫情報が"
		  "改ざんされ、配送の停止や誤配送が生じ得る。", "logistics" },
		{ "配送の停止や誤配送により、搬送会社や工業資材の利用者等、物流サービス"
		  "の提供を受ける倉庫外部の事業者等へ影響が及ぶ可能性がある。", "logistics" },
		{ "自社環境が不正アクセスされ、配信前のアップデートを改ざんされ、"
		  "物流工場が停止し、大規模な製品回収が生じ得る。", "integrator" },
		{ "AGVに重大な脆弱性が発見されることによって、大規模な製品回収が"
		  "生じ得る。", "agv-maker" },
	};
	assert_int_equal(iot_assess(&a, &m), MAMORI_OK);
	for (size_t i = 0; i < 4; i++) {
		size_t k;
		for (k = 0; k < m.nincidents; k++)
			if (!strcmp(m.incidents[k].what.ja, risks[i].text))
				break;
		assert_true(k < m.nincidents);
		assert_non_null(position(&a, m.incidents[k].id, risks[i].stake));
	}

	/* The measures proposed, per stakeholder, by requirement. */
	static const struct { const char *req, *stake, *policy; } ms[] = {
		{ "p1-sys-06", "logistics", "被害を最小限にするための仕組み" },
		{ "p1-sys-12", "logistics", "被害を最小限にするための仕組み" },
		{ "p1-sys-10", "logistics", "信頼性の高い物流倉庫の操業" },
		{ "p2-sys-04", "logistics", "信頼性の高い物流倉庫の操業" },
		{ "p2-sys-05", "integrator", "安全なアップデートプログラムの配信" },
		{ "p1-sys-01", "integrator", "セキュリティ・バイ・デザイン" },
		{ "p1-sys-15", "integrator", "セキュリティ・バイ・デザイン" },
	};
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		size_t r = iot_catalog_find_requirement(&cat, ms[i].req);
		size_t s = stake_index(&m, ms[i].stake);
		bool found = false;
		for (size_t d = 0; d < m.ndecisions; d++) {
			const struct iot_decision *dc = &m.decisions[d];
			if (dc->stakeholder != IOT_NONE && dc->stakeholder != s)
				continue;
			bool rated = false;
			for (size_t q = 0; q < m.incidents[dc->incident].nratings; q++)
				rated |= m.incidents[dc->incident].ratings[q].stakeholder == s;
			if (!rated || !strstr(dc->policy.ja, ms[i].policy))
				continue;
			for (size_t j = 0; j < dc->nmeasures; j++)
				found |= dc->measures[j].requirement == r;
		}
		if (!found)
			fail_msg("measure %s for %s missing", ms[i].req, ms[i].stake);
		assert_true(a.reqs[r].chosen);
	}

	/* The mapping figure: every stakeholder's position is beyond the
	 * target; the logistics company's lies higher on the economic axis
	 * than the integrator's / manufacturer's. */
	size_t lg = stake_index(&m, "logistics"), si = stake_index(&m, "integrator"),
	       mk = stake_index(&m, "agv-maker");
	assert_true(a.stake_category[lg] > m.stakeholders[lg].target);
	assert_true(a.stake_category[si] > m.stakeholders[si].target);
	assert_true(a.stake_category[mk] > m.stakeholders[mk].target);
	assert_true(a.stake_category[lg] > a.stake_category[si]);
	assert_int_equal(a.stake_category[si], a.stake_category[mk]);
	const struct iot_position *pl = position(&a, "wms-inventory-tampering", "logistics");
	const struct iot_position *pm = position(&a, "agv-vulnerability", "agv-maker");
	assert_true(m.incidents[pl->incident].ratings[pl->rating].axis2 >
		    m.incidents[pm->incident].ratings[pm->rating].axis2);
	assert_int_equal(a.above_inherent, a.npositions);
	/* Measures only planned: nothing reaches its residual yet. */
	assert_int_equal(a.above_after, a.npositions);

	/* The principal threats the collection names: unauthorised access,
	 * denial of service, malware. */
	size_t ua = iot_catalog_find_threat(&cat, "unauthorized-access");
	size_t dos = iot_catalog_find_threat(&cat, "denial-of-service");
	size_t mw = iot_catalog_find_threat(&cat, "malware");
	assert_true(iot_cell_at(&a, dev_index(&m, "wms"), ua)->principal);
	assert_true(iot_cell_at(&a, dev_index(&m, "wcs"), dos)->principal);
	assert_true(iot_cell_at(&a, dev_index(&m, "agv-1"), mw)->principal);
	assert_false(iot_cell_at(&a, dev_index(&m, "op-terminal-wms"), ua)->principal);
	assert_int_equal(iot_assessment_exit(&a), 1);

	iot_assessment_release(&a);
	iot_model_release(&m);
	iot_catalog_release(&cat);
}

static void every_model_assesses(void **state)
{
	struct iot_catalog cat;
	DIR *d = opendir(MODELS_DIR);
	struct dirent *e;
	size_t n = 0;
	(void)state;
	assert_non_null(d);
	load_catalog(&cat);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		char path[1024];
		struct iot_model m;
		struct iot_assessment a;
		snprintf(path, sizeof(path), "%s/%s", MODELS_DIR, e->d_name);
		load_file(&m, &cat, path);
		assert_int_equal(iot_assess(&a, &m), MAMORI_OK);
		assert_true(a.npositions > 0);
		for (int f = 0; f < IOT_FMT__MAX; f++)
			for (int lang = 0; lang < IOT_LANG__MAX; lang++) {
				struct strbuf out = STRBUF_INIT;
				assert_int_equal(iot_render(&a, (enum iot_format)f,
							    (enum iot_lang)lang, &out),
						 MAMORI_OK);
				assert_true(out.len > 100);
				strbuf_release(&out);
			}
		iot_assessment_release(&a);
		iot_model_release(&m);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 6);
	iot_catalog_release(&cat);
}

static void template_is_valid(void **state)
{
	struct iot_catalog cat;
	struct iot_model m;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	load_catalog(&cat);
	if (parse_model(&m, &cat, iot_model_template, &err) != MAMORI_OK)
		fail_msg("%s", err.buf);
	assert_int_equal(m.nstakeholders, 2);
	iot_model_release(&m);
	iot_catalog_release(&cat);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agv_against_seed),
		cmocka_unit_test(every_model_assesses),
		cmocka_unit_test(template_is_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
