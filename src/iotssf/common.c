/*
 * common.c - names and labels of the IoT-SSF enums, and text lookup.
 * Const tables only; must never allocate.
 */
#include "iotssf/iotssf.h"

#include "util/banned.h"

static const char *const strength_names[IOT_STRENGTH__MAX] = {
	[IOT_STRENGTH_NONE] = "none",
	[IOT_STRENGTH_OPTIONAL] = "optional",
	[IOT_STRENGTH_RECOMMENDED] = "recommended",
	[IOT_STRENGTH_REQUIRED] = "required",
};
static const char *const strength_labels[IOT_STRENGTH__MAX][IOT_LANG__MAX] = {
	[IOT_STRENGTH_NONE] = { "対象外", "not applicable" },
	[IOT_STRENGTH_OPTIONAL] = { "任意", "optional" },
	[IOT_STRENGTH_RECOMMENDED] = { "推奨", "recommended" },
	[IOT_STRENGTH_REQUIRED] = { "必須", "required" },
};
static const char *const status_names[IOT_STATUS__MAX] = {
	[IOT_STATUS_MISSING] = "missing",
	[IOT_STATUS_PLANNED] = "planned",
	[IOT_STATUS_IMPLEMENTED] = "implemented",
};
static const char *const status_labels[IOT_STATUS__MAX][IOT_LANG__MAX] = {
	[IOT_STATUS_MISSING] = { "未対応", "missing" },
	[IOT_STATUS_PLANNED] = { "計画中", "planned" },
	[IOT_STATUS_IMPLEMENTED] = { "実装済", "implemented" },
};
static const char *const treat_names[IOT_TREAT__MAX] = {
	[IOT_TREAT_REDUCE] = "reduce",
	[IOT_TREAT_ACCEPT] = "accept",
	[IOT_TREAT_TRANSFER] = "transfer",
	[IOT_TREAT_AVOID] = "avoid",
};
static const char *const treat_labels[IOT_TREAT__MAX][IOT_LANG__MAX] = {
	[IOT_TREAT_REDUCE] = { "低減", "reduce" },
	[IOT_TREAT_ACCEPT] = { "保有（受容）", "accept" },
	[IOT_TREAT_TRANSFER] = { "移転", "transfer" },
	[IOT_TREAT_AVOID] = { "回避", "avoid" },
};
static const char *const role_names[IOT_ROLE__MAX] = {
	[IOT_ROLE_APPLYING_PARTY] = "applying-party",
	[IOT_ROLE_INTEGRATOR] = "integrator",
	[IOT_ROLE_MANUFACTURER] = "manufacturer",
	[IOT_ROLE_SERVICE_PROVIDER] = "service-provider",
	[IOT_ROLE_OPERATOR] = "operator",
	[IOT_ROLE_USER] = "user",
	[IOT_ROLE_OTHER] = "other",
};
static const char *const role_labels[IOT_ROLE__MAX][IOT_LANG__MAX] = {
	[IOT_ROLE_APPLYING_PARTY] = { "適用主体", "applying party" },
	[IOT_ROLE_INTEGRATOR] = { "システムインテグレータ", "system integrator" },
	[IOT_ROLE_MANUFACTURER] = { "製造事業者", "manufacturer" },
	[IOT_ROLE_SERVICE_PROVIDER] = { "サービス提供者", "service provider" },
	[IOT_ROLE_OPERATOR] = { "運用者", "operator" },
	[IOT_ROLE_USER] = { "利用者", "user" },
	[IOT_ROLE_OTHER] = { "その他", "other" },
};

const char *iot_text_get(const struct iot_text *t, enum iot_lang lang)
{
	const char *a = lang == IOT_LANG_JA ? t->ja : t->en;
	const char *b = lang == IOT_LANG_JA ? t->en : t->ja;

	return a ? a : b ? b : "";
}

#define NAME(tab, v) ((unsigned)(v) < sizeof(tab) / sizeof(tab[0]) ? tab[v] : "?")
#define LABEL(tab, v, l) ((unsigned)(v) < sizeof(tab) / sizeof(tab[0]) && \
			  (unsigned)(l) < IOT_LANG__MAX ? tab[v][l] : "?")

const char *iot_strength_name(enum iot_strength s) { return NAME(strength_names, s); }
const char *iot_status_name(enum iot_status s) { return NAME(status_names, s); }
const char *iot_treatment_name(enum iot_treatment t) { return NAME(treat_names, t); }
const char *iot_role_name(enum iot_role r) { return NAME(role_names, r); }

const char *iot_strength_label(enum iot_strength s, enum iot_lang lang)
{
	return LABEL(strength_labels, s, lang);
}

const char *iot_status_label(enum iot_status s, enum iot_lang lang)
{
	return LABEL(status_labels, s, lang);
}

const char *iot_treatment_label(enum iot_treatment t, enum iot_lang lang)
{
	return LABEL(treat_labels, t, lang);
}

const char *iot_role_label(enum iot_role r, enum iot_lang lang)
{
	return LABEL(role_labels, r, lang);
}
