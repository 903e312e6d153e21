/*
 * iotssf.h - the IoT Security-Safety Framework (IoT-SSF) risk model: the
 * catalogue (axes, perspectives, Appendix A requirements, threat types,
 * the category rule), an operator's system model, and the assessment that
 * places every incident on the grid per stakeholder and derives threats,
 * requirements and gaps.
 *
 * This layer never prints to a terminal, never exits and never reads the
 * environment: the CLI chooses files and languages and writes the output.
 *
 * Ownership: a catalogue and a model own an arena each; every pointer in
 * them points into that arena (or into the catalogue, for a model) and is
 * freed by iot_catalog_release() / iot_model_release(). A model borrows
 * its catalogue, which must outlive it. An assessment owns its own arena
 * and borrows the model.
 */
#ifndef MAMORI_IOTSSF_H
#define MAMORI_IOTSSF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#define IOT_LEVELS 3		/* each axis has three levels (1..3) */
#define IOT_MAX_PERSPECTIVES 8

/* A text in Japanese and English; either may be NULL, never both. */
struct iot_text {
	const char *ja;
	const char *en;
};

enum iot_lang { IOT_LANG_JA, IOT_LANG_EN, IOT_LANG__MAX };

/* The text in lang, falling back to the other language, or "". */
const char *iot_text_get(const struct iot_text *t, enum iot_lang lang);

enum iot_strength {
	IOT_STRENGTH_NONE = 0,		/* not applicable (no incident rated) */
	IOT_STRENGTH_OPTIONAL,
	IOT_STRENGTH_RECOMMENDED,
	IOT_STRENGTH_REQUIRED,
	IOT_STRENGTH__MAX
};

enum iot_status {
	IOT_STATUS_MISSING = 0,
	IOT_STATUS_PLANNED,
	IOT_STATUS_IMPLEMENTED,
	IOT_STATUS__MAX
};

enum iot_treatment {
	IOT_TREAT_REDUCE = 0,
	IOT_TREAT_ACCEPT,
	IOT_TREAT_TRANSFER,
	IOT_TREAT_AVOID,
	IOT_TREAT__MAX
};

enum iot_role {
	IOT_ROLE_APPLYING_PARTY = 0,
	IOT_ROLE_INTEGRATOR,
	IOT_ROLE_MANUFACTURER,
	IOT_ROLE_SERVICE_PROVIDER,
	IOT_ROLE_OPERATOR,
	IOT_ROLE_USER,
	IOT_ROLE_OTHER,
	IOT_ROLE__MAX
};

/* Identifiers as written in files ("required", "reduce", "integrator"). */
const char *iot_strength_name(enum iot_strength s);
const char *iot_status_name(enum iot_status s);
const char *iot_treatment_name(enum iot_treatment t);
const char *iot_role_name(enum iot_role r);
/* Words for people, in lang. */
const char *iot_strength_label(enum iot_strength s, enum iot_lang lang);
const char *iot_status_label(enum iot_status s, enum iot_lang lang);
const char *iot_treatment_label(enum iot_treatment t, enum iot_lang lang);
const char *iot_role_label(enum iot_role r, enum iot_lang lang);

/* ---- the catalogue (data/iot-ssf/ (four YAML files)) ---- */

struct iot_level {
	const char *id;
	struct iot_text label;
	struct iot_text desc;
};

struct iot_axis {
	const char *id;			/* "axis1", "axis2" */
	struct iot_text name;
	struct iot_text desc;
	struct iot_level level[IOT_LEVELS];	/* lowest first */
};

struct iot_named {
	const char *id;
	struct iot_text name;
	struct iot_text desc;
};

struct iot_devclass {
	const char *id;
	struct iot_text name;
	size_t nthreats;
	size_t *threats;		/* indexes into catalog->threats */
};

struct iot_requirement {
	const char *id;
	size_t perspective;		/* index into catalog->perspectives */
	size_t target;			/* index into catalog->targets */
	struct iot_text title;
	size_t nmeasures;
	struct iot_text *measures;	/* example measures (Appendix B style) */
	size_t ncpsf;
	const char **cpsf;		/* CPSF requirement ids, may be none */
	const char *cpsf_basis;		/* "seed" or "mamori", NULL if none */
};

struct iot_category {
	const char *id;
	struct iot_text name;
	struct iot_text desc;
	const char *color;		/* "#rrggbb" for the grid */
	enum iot_strength perspective[IOT_MAX_PERSPECTIVES];
	enum iot_strength *override;	/* per requirement; NONE = no override */
};

struct iot_catalog {
	struct arena arena;
	const char *version;
	struct iot_axis axis[2];
	size_t nperspectives;
	struct iot_named *perspectives;
	size_t ntargets;
	struct iot_named *targets;
	size_t nthreats;
	struct iot_named *threats;
	size_t nclasses;
	struct iot_devclass *classes;
	size_t nrequirements;
	struct iot_requirement *requirements;
	size_t ncategories;
	struct iot_category *categories;	/* lowest first */
	size_t grid[IOT_LEVELS][IOT_LEVELS];	/* [axis1-1][axis2-1] -> category */
	struct iot_text rule_note;
};

/* The four files of a catalogue, in this order. */
enum iot_catalog_part {
	IOT_PART_FRAMEWORK,	/* framework.yaml: axes, perspectives, targets */
	IOT_PART_THREATS,	/* threats.yaml: threat types, device classes */
	IOT_PART_REQUIREMENTS,	/* requirements.yaml: Appendix A + B */
	IOT_PART_RULE,		/* rule.yaml: grid -> category -> strength */
	IOT_PART__MAX
};
extern const char *const iot_catalog_file[IOT_PART__MAX];

struct iot_source {
	const char *name;		/* for messages */
	const char *buf;
	size_t len;
};

void iot_catalog_init(struct iot_catalog *cat);
void iot_catalog_release(struct iot_catalog *cat);
/* Parses the four parts; errors ("file:line:col: ...") go to err. */
enum mamori_err iot_catalog_parse(struct iot_catalog *cat,
				  const struct iot_source src[IOT_PART__MAX],
				  struct strbuf *err);
/* Reads dir/<iot_catalog_file[i]> for every part and parses them. */
enum mamori_err iot_catalog_load_dir(struct iot_catalog *cat, const char *dir,
				     struct strbuf *err);

/* Index of id in the catalogue's lists, or (size_t)-1. */
size_t iot_catalog_find_requirement(const struct iot_catalog *cat,
				    const char *id);
size_t iot_catalog_find_threat(const struct iot_catalog *cat, const char *id);
size_t iot_catalog_find_class(const struct iot_catalog *cat, const char *id);
size_t iot_catalog_find_category(const struct iot_catalog *cat,
				 const char *id);
/* The category of a grid position (levels 1..3). */
size_t iot_catalog_category(const struct iot_catalog *cat, int axis1,
			    int axis2);
/* Strength of requirement r for category c. */
enum iot_strength iot_catalog_strength(const struct iot_catalog *cat,
				       size_t c, size_t r);

#define IOT_NONE ((size_t)-1)

/* ---- the system model ---- */

struct iot_stakeholder {
	const char *id;
	struct iot_text name;
	enum iot_role role;
	struct iot_text desc;
	struct iot_text criteria;	/* risk criteria in words, optional */
	size_t target;			/* highest acceptable category */
};

struct iot_device {
	const char *id;
	struct iot_text name;
	size_t cls;			/* index into catalog->classes */
	struct iot_text location;
	size_t owner;			/* stakeholder index or IOT_NONE */
	size_t nconnects;
	size_t *connects;		/* device indexes */
	bool threats_given;		/* threats overridden by the model */
	size_t nthreats;
	size_t *threats;		/* catalogue threat indexes */
};

struct iot_flow {
	const char *id;
	size_t from, to;		/* device indexes */
	struct iot_text data;
};

struct iot_rating {
	size_t stakeholder;
	int axis1, axis2;		/* 1..3 */
	unsigned line, col;
};

struct iot_incident {
	const char *id;
	struct iot_text what;
	struct iot_text consequence;
	size_t ndevices;
	size_t *devices;
	size_t nthreats;
	size_t *threats;
	size_t nratings;
	struct iot_rating *ratings;
};

struct iot_measure {
	size_t requirement;		/* catalogue index */
	struct iot_text text;
	enum iot_status status;
	size_t owner;			/* stakeholder index or IOT_NONE */
};

struct iot_decision {
	size_t incident;
	size_t stakeholder;		/* IOT_NONE: every rated stakeholder */
	enum iot_treatment treatment;
	struct iot_text policy;
	struct iot_text rationale;
	size_t nmeasures;
	struct iot_measure *measures;
	bool has_residual;
	int res_axis1, res_axis2;
};

struct iot_model {
	struct arena arena;
	const struct iot_catalog *cat;	/* borrowed */
	const char *file;
	const char *id;
	struct iot_text title;
	struct iot_text overview;
	struct iot_text axis_criteria[2][IOT_LEVELS];	/* optional */
	size_t nstakeholders;
	struct iot_stakeholder *stakeholders;
	size_t ndevices;
	struct iot_device *devices;
	size_t nflows;
	struct iot_flow *flows;
	size_t nincidents;
	struct iot_incident *incidents;
	size_t ndecisions;
	struct iot_decision *decisions;
};

void iot_model_init(struct iot_model *m, const struct iot_catalog *cat);
void iot_model_release(struct iot_model *m);
/*
 * Parses and validates a model against cat. Every problem found is
 * reported as "name:line:col: message\n" in err; the result is
 * MAMORI_EPARSE for YAML syntax, MAMORI_ESCHEMA for anything else.
 */
enum mamori_err iot_model_parse(struct iot_model *m, const char *name,
				const char *buf, size_t len, struct strbuf *err);

/* The commented starting model printed by "mamori iot template". */
extern const char iot_model_template[];

/* ---- the assessment ---- */

enum iot_residual_state {
	IOT_RES_NONE = 0,	/* no decision, or no effect stated */
	IOT_RES_PENDING,	/* effect stated, measures not all implemented */
	IOT_RES_ACHIEVED,	/* all measures implemented: residual applies */
	IOT_RES_ELIMINATED,	/* avoided: the incident no longer applies */
	IOT_RES__MAX
};

struct iot_position {
	size_t incident, rating;	/* indexes into the model */
	size_t stakeholder;
	size_t category;		/* inherent */
	bool above;			/* inherent category above target */
	const struct iot_decision *decision;	/* NULL when none */
	enum iot_residual_state state;
	int eff_axis1, eff_axis2;	/* after implemented measures */
	size_t eff_category;		/* IOT_NONE when eliminated */
	bool eff_above;			/* still above target */
};

struct iot_cell {
	bool typical;			/* in the device's threat list */
	bool principal;			/* leads to an above-target incident */
};

struct iot_reqstate {
	enum iot_strength strength;
	enum iot_status status;
	bool chosen;			/* referenced by some measure */
	bool for_above;			/* chosen against an above-target incident */
};

enum iot_gap_kind { IOT_GAP_INCIDENT, IOT_GAP_REQUIREMENT, IOT_GAP__MAX };

struct iot_gap {
	enum iot_gap_kind kind;
	size_t index;			/* position index or requirement index */
};

struct iot_assessment {
	struct arena arena;
	const struct iot_model *model;	/* borrowed */
	size_t npositions;
	struct iot_position *positions;	/* incident order, then rating order */
	size_t *stake_category;		/* per stakeholder: max inherent, or NONE */
	size_t *stake_eff_category;	/* per stakeholder: max after measures */
	size_t system_category;		/* max inherent over all, or NONE */
	struct iot_cell *cells;		/* ndevices x nthreats, row major */
	struct iot_reqstate *reqs;	/* per catalogue requirement */
	size_t ngaps;
	struct iot_gap *gaps;		/* ranked, most urgent first */
	size_t above_inherent, above_after;
	size_t required_open;
};

/* Computes everything; a holds it until iot_assessment_release(). */
enum mamori_err iot_assess(struct iot_assessment *a, const struct iot_model *m);
void iot_assessment_release(struct iot_assessment *a);
/* 0 when nothing is above target after implemented measures and every
 * required requirement is implemented; 1 otherwise. */
int iot_assessment_exit(const struct iot_assessment *a);
static inline const struct iot_cell *
iot_cell_at(const struct iot_assessment *a, size_t device, size_t threat)
{
	return &a->cells[device * a->model->cat->nthreats + threat];
}

/* ---- output ---- */

enum iot_format { IOT_FMT_TEXT, IOT_FMT_JSON, IOT_FMT_HTML, IOT_FMT__MAX };

/* Appends the assessment in fmt and lang to out. */
enum mamori_err iot_render(const struct iot_assessment *a, enum iot_format fmt,
			   enum iot_lang lang, struct strbuf *out);
enum mamori_err iot_render_text(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out);
enum mamori_err iot_render_json(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out);
enum mamori_err iot_render_html(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out);

#endif
