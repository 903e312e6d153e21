/*
 * api.c - the JSON API under /api/v1 (docs/api.md): sign-in, campaigns,
 * a respondent's own response (read, save, check without saving,
 * submit) and the regulator's view of any. Every value of a body is
 * checked here, at the boundary, before the store sees it. Must never
 * show an organisation anything of another organisation or of a
 * campaign its code does not admit.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/commit.h"
#include "store/session.h"
#include "store/user.h"
#include "web/web_int.h"
#include "util/banned.h"

#define JSON_FIELD_MAX 1024

/* ---- shared with pages.c ----------------------------------------------- */

void req_actor(struct req *r, struct store_actor *a)
{
	size_t n = strlen(r->sess.who) + 16;
	char *who = arena_alloc(&r->arena, n);

	if (who)
		snprintf(who, n, "%s:%s", r->signed_in
			 ? (r->sess.role == ROLE_RESPONDENT ? "org"
				: role_name(r->sess.role)) : "web",
			 r->sess.who);
	a->who = who ? who : "web";
	a->from = r->ip;
}

static unsigned status_of(enum mamori_err e)
{
	switch (e) {
	case MAMORI_OK: return 200;
	case MAMORI_ENOENT: return 404;
	case MAMORI_ECONFLICT: return 409;
	case MAMORI_ECLOSED: return 409;
	case MAMORI_EINVALID: return 422;
	case MAMORI_EDENIED: return 403;
	case MAMORI_EINVAL: case MAMORI_EPARSE: case MAMORI_ETOOBIG:
		return 400;
	default: return 500;
	}
}

static void log_failure(struct req *r, const char *what, enum mamori_err e,
			const struct strbuf *err)
{
	fprintf(stderr, "mamori: %s %s: %s: %s\n", method_name(r->method),
		r->path, what, err && err->len ? err->buf
						: mamori_strerror(e));
}

void resp_view_release(struct resp_view *v)
{
	store_campaign_release(&v->camp);
	json_decref(v->answers);
	json_decref(v->ctx_org);
	json_decref(v->ctx_campaign);
	if (!v->store_v)
		validator_free(v->v);
	memset(v, 0, sizeof(*v));
}

/*
 * resp_load_form; population: the campaign's population counted (only
 * the API's replies show it); store_v: the validator is r->st's own
 * (store_campaign_validator_of), not a new one, for a request that
 * neither saves nor hands r->st back before it is done with v.
 */
static unsigned load_view(struct req *r, const char *org, int64_t number,
			  bool population, bool store_v, struct resp_view *v)
{
	struct strbuf err = STRBUF_INIT;
	struct vopts vo = { .lang = r->lang };
	enum mamori_err e;
	unsigned status = 0;

	memset(v, 0, sizeof(*v));
	if ((e = population
		 ? store_campaign_get(r->st, r->campaign, &v->camp, &err)
		 : store_campaign_state(r->st, r->campaign, &v->camp, &err)))
		goto fail;
	v->number = number;
	e = store_response_state_form(r->st, r->campaign, org, number,
				      &v->state, &err);
	if (!e && (number ? v->state.status == RESPONSE_NONE
			  : v->camp.repeatable))
		e = MAMORI_ENOENT;	/* not created; a campaign of reports */
	if (e)
		goto fail;
	if (v->state.revision > 0) {
		struct store_revision rev = { 0 };
		if ((e = store_response_get_form(r->st, r->campaign, org,
						 number, 0, &rev, &err)))
			goto fail;
		v->answers = json_loads(rev.body ? rev.body : "{}", 0, NULL);
		v->saved_at = rev.at;
		store_revision_release(&rev);
	}
	if (!v->answers || !json_is_object(v->answers)) {
		json_decref(v->answers);
		v->answers = json_object();
	}
	if (store_v) {
		if ((e = store_campaign_validator_of(r->st, &v->camp, number &&
						     v->camp.form_instrument_id,
						     &v->ins, &v->v, &err)))
			goto fail;
		v->store_v = true;
	} else if ((e = number && v->camp.form_instrument_id
		    ? store_campaign_form_instrument(r->st, r->campaign,
						     &v->ins, &err)
		    : store_campaign_instrument(r->st, r->campaign, &v->ins,
						&err))) {
		goto fail;
	}
	/* ${org.*} and ${campaign.*} as the store's own checks read them
	 * (store_validation_context), the campaign as read above */
	if ((e = store_org_get(r->st, org, &v->ctx_org, &err)))
		goto fail;
	if (!(v->ctx_campaign = store_campaign_context(&v->camp))) {
		e = MAMORI_ENOMEM;
		goto fail;
	}
	vo.org = v->ctx_org;
	vo.campaign = v->ctx_campaign;
	if (!v->v)
		v->v = validator_new(v->ins);
	if (!v->v || !v->answers) {
		e = MAMORI_ENOMEM;
		goto fail;
	}
	if ((e = instrument_validate(v->v, v->answers, &vo, &v->res)))
		goto fail;
	strbuf_release(&err);
	return 0;
fail:
	status = status_of(e);
	if (status == 500 || status == 400)
		log_failure(r, "loading a response", e, &err);
	if (status == 400)
		status = 500;
	strbuf_release(&err);
	resp_view_release(v);
	return status;
}

unsigned resp_load(struct req *r, const char *org, struct resp_view *v)
{
	return resp_load_form(r, org, 0, v);
}

unsigned resp_load_form(struct req *r, const char *org, int64_t number,
			struct resp_view *v)
{
	return load_view(r, org, number, true, false, v);
}

unsigned resp_load_page(struct req *r, const char *org, int64_t number,
			struct resp_view *v)
{
	return load_view(r, org, number, false, true, v);
}

unsigned resp_revalidate(struct req *r, struct resp_view *v, json_t *answers)
{
	struct vopts vo = { .lang = r->lang, .org = v->ctx_org,
			    .campaign = v->ctx_campaign };
	enum mamori_err e;

	if (!answers)
		return 500;
	json_decref(v->answers);
	v->answers = answers;
	v->res = NULL;
	if ((e = instrument_validate(v->v, v->answers, &vo, &v->res))) {
		log_failure(r, "validating answers", e, NULL);
		return 500;
	}
	return 0;
}

void web_item_path(char *buf, size_t len, const struct instrument *ins,
		   const struct item *it, size_t row)
{
	size_t n = strlen(it->id);

	if (it->repeat >= 0) {
		snprintf(buf, len, "%s[%zu].%s", ins->items[it->repeat].id,
			 row + 1, it->id);
		return;
	}
	/* snprintf(buf, len, "%s", it->id) without its cost */
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, it->id, n);
	buf[n] = '\0';
}

/* {"item", "code", "message"}, or NULL when one of them is not UTF-8
 * (as json_pack() would have it: such an error is left out). */
static json_t *error_json(const struct verror *e)
{
	json_t *o = json_object();

	if (o && !json_object_set_new_nocheck(o, "item", json_string(e->item)) &&
	    !json_object_set_new_nocheck(o, "code",
					 json_string(verr_code_name(e->code))) &&
	    !json_object_set_new_nocheck(o, "message",
					 json_string(e->message ? e->message
								: "")))
		return o;
	json_decref(o);
	return NULL;
}

json_t *errors_json(const struct vresult *res)
{
	json_t *a = json_array();

	for (size_t i = 0; a && res && i < res->nerrors; i++)
		json_array_append_new(a, error_json(&res->errors[i]));
	return a;
}

static const char *time_text(struct req *r, int64_t t)
{
	char buf[40];

	if (t <= 0)
		return NULL;
	store_time_format(t, buf, sizeof(buf));
	return arena_strdup(&r->arena, buf);
}

/* The engine's result of a response's answers, as a reply shows it. */
struct view_check {
	json_t *errors;		/* owned: errors_json() */
	size_t answered, applicable;
};

/* view_json of v's parts; takes the reference of c->errors. */
static json_t *view_parts(struct req *r, const struct resp_view *v,
			  json_t *answers, struct view_check *c,
			  const char *org)
{
	json_t *j = json_pack("{s:s,s:I,s:I,s:O,s:o,s:{s:I,s:I},s:s,s:{s:I,s:I}}",
		"state", response_status_name(v->state.status),
		"revision", (json_int_t)v->state.revision,
		"submitted_revision", (json_int_t)v->state.submitted_revision,
		"answers", answers,
		"errors", c->errors,
		"progress", "answered", (json_int_t)c->answered,
		"applicable", (json_int_t)c->applicable,
		"campaign_state", campaign_state_name(v->camp.state),
		"campaign", "id", (json_int_t)r->campaign,
		"population", (json_int_t)v->camp.population);

	c->errors = NULL;
	if (j) {
		const char *at = time_text(r, v->saved_at);
		if (at)
			json_object_set_new(j, "saved_at", json_string(at));
		if (org)
			json_object_set_new(j, "organisation",
					    json_string(org));
		if (v->number)
			json_object_set_new(j, "number",
					    json_integer(v->number));
	}
	return j;
}

json_t *view_json(struct req *r, const struct resp_view *v,
		  const char *org)
{
	struct view_check c = { errors_json(v->res), v->res->answered,
				v->res->applicable };

	return view_parts(r, v, v->answers, &c, org);
}

/* ---- sign-in ------------------------------------------------------------ */

/* The audit log's line for a sign-in, as kind:name from the address. */
static void audit_signin(struct req *r, const char *kind, const char *name,
			 bool ok)
{
	struct strbuf err = STRBUF_INIT;
	char who[WEB_ID_MAX + 16];
	struct store_actor a = { who, r->ip };
	enum mamori_err e;

	snprintf(who, sizeof(who), "%s:%s", kind, name);
	if ((e = store_signin_audit(r->st, &a, ok, &err)))
		log_failure(r, "auditing a sign-in", e, &err);
	strbuf_release(&err);
}

unsigned login_respondent(struct req *r, const char *org, const char *code)
{
	struct strbuf err = STRBUF_INIT, who = STRBUF_INIT;
	int64_t campaign = 0, credential = 0;
	enum mamori_err e;

	if (throttle_locked(r->w, "addr", r->ip) ||
	    throttle_locked(r->w, "org", org))
		return 429;
	e = store_verify_access_code(r->st, code, &campaign, &who, &credential,
				     &err);
	if (e == MAMORI_OK && strcmp(who.buf, org) != 0)
		e = MAMORI_EDENIED;
	strbuf_release(&who);
	if (e == MAMORI_EDENIED) {
		throttle_fail(r->w, "addr", r->ip);
		throttle_fail(r->w, "org", org);
		strbuf_release(&err);
		audit_signin(r, "org", org, false);
		return 401;
	}
	if (e) {
		log_failure(r, "checking an access code", e, &err);
		strbuf_release(&err);
		return 500;
	}
	strbuf_release(&err);
	throttle_clear(r->w, "org", org);
	if (session_start(r, credential))
		return 500;
	audit_signin(r, "org", org, true);
	return 200;
}

unsigned login_staff(struct req *r, const char *user, const char *pw,
		     size_t pwlen)
{
	struct strbuf err = STRBUF_INIT;
	enum user_role role;
	int64_t credential = 0;
	enum mamori_err e;

	if (throttle_locked(r->w, "addr", r->ip) ||
	    throttle_locked(r->w, "user", user))
		return 429;
	e = store_user_verify(r->st, user, pw, pwlen, &role, &credential,
			      &err);
	if (e == MAMORI_EDENIED) {
		throttle_fail(r->w, "addr", r->ip);
		throttle_fail(r->w, "user", user);
		strbuf_release(&err);
		audit_signin(r, "user", user, false);
		return 401;
	}
	if (e) {
		log_failure(r, "checking a password", e, &err);
		strbuf_release(&err);
		return 500;
	}
	strbuf_release(&err);
	throttle_clear(r->w, "user", user);
	if (session_start(r, credential))
		return 500;
	audit_signin(r, user_role_name(role), user, true);
	return 200;
}

/* The body as a JSON object, or a 400 reply and NULL. Empty is {} when
 * empty_ok. Caller json_decref()s. */
json_t *body_object(struct req *r, bool empty_ok)
{
	json_error_t je;
	json_t *j;

	if (r->body.len == 0 && empty_ok)
		return json_object();
	j = json_loadb(r->body.buf, r->body.len,
		       JSON_REJECT_DUPLICATES,
		       &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		reply_error(r, 400, "bad_json",
			    "the body is not a JSON object");
		return NULL;
	}
	return j;
}

/* A string member checked against kind and max; NULL when absent or bad. */
static const char *str_field(json_t *o, const char *name,
			     enum field_kind kind, size_t max, size_t *len)
{
	json_t *v = json_object_get(o, name);
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > max || strlen(s) != n || !field_valid(kind, s, n))
		return NULL;
	if (len)
		*len = n;
	return s;
}

static void login_reply(struct req *r, unsigned status)
{
	if (status == 429) {
		reply_header(r, "Retry-After", "900");
		reply_error(r, 429, "throttled",
			    "too many failed sign-ins; wait 15 minutes");
	} else if (status == 401) {
		reply_error(r, 401, "denied", "wrong credentials");
	} else if (status != 200) {
		reply_error(r, 500, "internal", "sign-in failed");
	} else {
		json_t *j = json_pack("{s:s,s:s,s:s}", "csrf", r->sess.csrf,
				      "role", role_name(r->sess.role),
				      "who", r->sess.who);
		if (j && r->sess.role == ROLE_RESPONDENT)
			json_object_set_new(j, "campaign",
					    json_integer(r->sess.campaign));
		reply_json(r, 200, j);
	}
}

void api_login(struct req *r)
{
	json_t *j = body_object(r, false);
	const char *org, *code, *user, *pw;
	size_t pwlen = 0;

	if (!j)
		return;
	if (json_object_get(j, "organisation")) {
		org = str_field(j, "organisation", FIELD_ID, WEB_ID_MAX, NULL);
		code = str_field(j, "access_code", FIELD_CODE, 64, NULL);
		if (!org || !code || json_object_size(j) != 2)
			reply_error(r, 400, "bad_request",
				    "give organisation and access_code");
		else
			login_reply(r, login_respondent(r, org, code));
	} else if (json_object_get(j, "user")) {
		user = str_field(j, "user", FIELD_ID, WEB_ID_MAX, NULL);
		pw = str_field(j, "password", FIELD_TEXT, USER_PASSWORD_MAX,
			       &pwlen);
		if (!user || !pw || json_object_size(j) != 2)
			reply_error(r, 400, "bad_request",
				    "give user and password");
		else
			login_reply(r, login_staff(r, user, pw, pwlen));
	} else {
		reply_error(r, 400, "bad_request",
			    "give organisation and access_code, or user and "
			    "password");
	}
	json_decref(j);
}

void api_logout(struct req *r)
{
	session_end(r);
	reply_json(r, 200, json_pack("{s:b}", "signed_out", 1));
}

/* ---- campaigns ---------------------------------------------------------- */

static json_t *campaign_json(struct req *r, const struct store_campaign *c,
			     bool staff)
{
	json_t *w = json_array();
	json_t *j;

	for (size_t i = 0; w && i < c->nwindows; i++)
		json_array_append_new(w, json_pack("{s:s,s:s}",
			"opens", time_text(r, c->windows[i].opens),
			"closes", time_text(r, c->windows[i].closes)));
	j = json_pack("{s:I,s:s,s:s,s:{s:s,s:s},s:o}",
		      "id", (json_int_t)c->id, "title", c->title,
		      "state", campaign_state_name(c->state),
		      "instrument", "id", c->instrument_id,
		      "version", c->instrument_version, "windows", w);
	if (j && staff)
		json_object_set_new(j, "population",
				    json_integer((json_int_t)c->population));
	if (j && (c->repeatable || c->form_instrument_id))	/* reports.c */
		json_object_set_new(j, "numbered", json_string(c->repeatable
				    ? "reports" : "forms"));
	return j;
}

struct list_ctx {
	struct req *r;
	json_t *a;
};

static int list_one(void *ud, const struct store_campaign *c)
{
	struct list_ctx *x = ud;
	json_array_append_new(x->a, campaign_json(x->r, c, true));
	return 0;
}

void api_campaigns(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	json_t *a = json_array();
	enum mamori_err e;

	if (r->sess.role == ROLE_RESPONDENT) {
		struct store_campaign c = { 0 };
		e = store_campaign_get(r->st, r->sess.campaign, &c, &err);
		if (!e)
			json_array_append_new(a, campaign_json(r, &c, false));
		store_campaign_release(&c);
	} else {
		struct list_ctx x = { r, a };
		e = store_campaign_list(r->st, list_one, &x, &err);
	}
	if (e) {
		log_failure(r, "listing campaigns", e, &err);
		json_decref(a);
		reply_error(r, 500, "internal", "cannot list campaigns");
	} else {
		reply_json(r, 200, json_pack("{s:o}", "campaigns", a));
	}
	strbuf_release(&err);
}

/* ---- a respondent's own response ---------------------------------------- */

/* The respondent's code admits one campaign: any other is not found
 * (web_int.h). */
bool own_campaign(struct req *r)
{
	if (r->sess.role == ROLE_RESPONDENT &&
	    r->sess.campaign == r->campaign)
		return true;
	reply_error(r, 404, "not_found", "no such campaign");
	return false;
}

static void reply_view(struct req *r, unsigned status, const char *org)
{
	struct resp_view v;
	unsigned s = load_view(r, org, r->number, true, true, &v);

	if (s) {
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such response" : "cannot read it");
		return;
	}
	reply_json(r, status, view_json(r, &v, org));
	resp_view_release(&v);
}

void api_response_get(struct req *r)
{
	if (own_campaign(r))
		reply_view(r, 200, r->sess.who);
}

void store_refusal(struct req *r, enum mamori_err e,
		   const struct strbuf *err)
{
	switch (e) {
	case MAMORI_ECONFLICT:
		reply_error(r, 409, "stale", err->len ? err->buf
			    : "the response changed since you read it");
		break;
	case MAMORI_ECLOSED:
		reply_error(r, 409, "closed", err->len ? err->buf
			    : "the campaign is closed");
		break;
	case MAMORI_ENOENT:
		reply_error(r, 404, "not_found", "no such response");
		break;
	default:
		log_failure(r, "saving", e, err);
		reply_error(r, status_of(e) == 500 ? 500 : 400,
			    "refused", "the response was not saved");
	}
}

/* {"revision": N, "answers": {...}}: both checked. */
bool read_save_body(struct req *r, json_t *j, bool answers_required,
		    int64_t *base, json_t **answers)
{
	json_t *rev = json_object_get(j, "revision");
	json_t *ans = json_object_get(j, "answers");
	const char *key;
	json_t *val;

	json_object_foreach(j, key, val) {
		if (strcmp(key, "revision") && strcmp(key, "answers")) {
			reply_error(r, 400, "bad_request",
				    "only revision and answers are known");
			return false;
		}
	}
	if (!json_is_integer(rev) || json_integer_value(rev) < 0) {
		reply_error(r, 400, "bad_request",
			    "revision: the revision you edited (0 for none)");
		return false;
	}
	if (ans ? !json_is_object(ans) : answers_required) {
		reply_error(r, 400, "bad_request", "answers: an object");
		return false;
	}
	*base = (int64_t)json_integer_value(rev);
	*answers = ans;
	return true;
}

/* What the store's validation of a draft found (store_seen), for the
 * reply to its save. */
struct draft_seen {
	json_t *answers;	/* owned: as parsed by the store */
	struct strbuf errors;	/* owned: errors_json()'s JSON text */
	bool seen;
	size_t answered, applicable;
};

/* errors_json(res) as reply_json() would write it, into sb: an error
 * with a text that is not UTF-8 is left out, as there. */
static void errors_text(struct strbuf *sb, const struct vresult *res)
{
	const char *sep = "";

	strbuf_addch(sb, '[');
	for (size_t i = 0; res && i < res->nerrors; i++) {
		const struct verror *e = &res->errors[i];
		const char *code = verr_code_name(e->code);
		const char *msg = e->message ? e->message : "";
		size_t mark = sb->len;
		strbuf_addstr(sb, sep);
		strbuf_addstr(sb, "{\"item\":");
		if (!e->item || !code ||
		    reply_json_string(sb, e->item, strlen(e->item)) ||
		    strbuf_addstr(sb, ",\"code\":") ||
		    reply_json_string(sb, code, strlen(code)) ||
		    strbuf_addstr(sb, ",\"message\":") ||
		    reply_json_string(sb, msg, strlen(msg))) {
			strbuf_setlen(sb, mark);
			continue;
		}
		strbuf_addch(sb, '}');
		sep = ",";
	}
	strbuf_addch(sb, ']');
}

static void draft_seen_fn(void *ud, json_t *answers,
			  const struct vresult *res)
{
	struct draft_seen *d = ud;

	d->answers = json_incref(answers);
	/* written now: res lives only during the call */
	errors_text(&d->errors, res);
	d->seen = true;
	d->answered = res->answered;
	d->applicable = res->applicable;
}

static void draft_seen_release(void *p)
{
	struct draft_seen *d = p;

	json_decref(d->answers);
	d->answers = NULL;
	strbuf_release(&d->errors);
}

/*
 * reply_json(view_parts(r, v, d->answers, errors, org)) written directly,
 * the same bytes without building the reply's tree: v is a draft's
 * (no number), the errors d's text of them.
 */
static void reply_draft_json(struct req *r, const struct resp_view *v,
			     const struct draft_seen *d)
{
	struct strbuf *b = &r->reply.body;
	const char *at = time_text(r, v->saved_at);
	const char *state = response_status_name(v->state.status);
	const char *cstate = campaign_state_name(v->camp.state);
	const char *org = r->sess.who;

	strbuf_reset(b);
	strbuf_addf(b, "{\"state\":\"%s\",\"revision\":%" PRId64
		    ",\"submitted_revision\":%" PRId64 ",\"answers\":", state,
		    v->state.revision, v->state.submitted_revision);
	if (reply_json_value(b, d->answers)) {
		reply_view(r, 200, org);	/* fails as it would have */
		return;
	}
	strbuf_addf(b, ",\"errors\":%s,\"progress\":{\"answered\":%zu,"
		    "\"applicable\":%zu},\"campaign_state\":\"%s\","
		    "\"campaign\":{\"id\":%" PRId64 ",\"population\":%" PRId64
		    "}", d->errors.buf, d->answered, d->applicable, cstate,
		    r->campaign, v->camp.population);
	if (at) {
		strbuf_addstr(b, ",\"saved_at\":");
		reply_json_string(b, at, strlen(at));
	}
	strbuf_addstr(b, ",\"organisation\":");
	if (reply_json_string(b, org, strlen(org))) {
		reply_view(r, 200, org);
		return;
	}
	strbuf_addstr(b, "}\n");
	r->reply.status = 200;
	r->reply.type = "application/json";
}

/*
 * The reply to a draft save: the response as reply_view() reads it, but
 * with the answers and the engine's result the save's own validation
 * found (the revision's body is those answers, validated against the
 * same instrument, organisation and campaign, in r->lang). When the
 * group commit said what it wrote (w), that is the rest: the response
 * as this save left it and the campaign as its transaction saw it, the
 * population from the connection's count, nothing read. Otherwise the
 * campaign and the state are read, and when another save came after
 * this one, that save's response is read and validated as reply_view()
 * does.
 */
static void reply_draft(struct req *r, int64_t revision,
			const struct store_written *w, struct draft_seen *d)
{
	struct strbuf err = STRBUF_INIT;
	struct resp_view v;
	enum mamori_err e;
	bool snap;

	memset(&v, 0, sizeof(v));
	if (w && !w->repeatable && d->answers && d->seen && !d->errors.err &&
	    !store_campaign_population(r->st, r->campaign,
				       w->campaign_created_at,
				       &v.camp.population, &err)) {
		/* the group commit said what it wrote: nothing to read */
		v.camp.id = r->campaign;
		v.camp.state = w->campaign_state;
		v.state.status = w->status;
		v.state.revision = w->revision;
		v.state.submitted_revision = w->submitted_revision;
		v.saved_at = w->updated_at;
		reply_draft_json(r, &v, d);
		return;
	}
	strbuf_reset(&err);
	snap = store_session_read_begin(r->st, NULL) == MAMORI_OK;
	e = store_campaign_get(r->st, r->campaign, &v.camp, &err);
	if (!e)
		e = store_response_state_form(r->st, r->campaign, r->sess.who,
					      0, &v.state, &err);
	if (snap)
		store_session_read_end(r->st);
	strbuf_release(&err);
	if (e || !d->answers || !d->seen || d->errors.err ||
	    v.camp.repeatable || v.state.revision != revision) {
		store_campaign_release(&v.camp);
		reply_view(r, 200, r->sess.who);
		return;
	}
	/* the response's row is written with its newest revision's time */
	v.saved_at = v.state.updated_at;
	reply_draft_json(r, &v, d);
	store_campaign_release(&v.camp);
}

/* The end of a draft save (req_save_then): its reply. */
static void draft_saved(struct req *r, void *ctx, enum mamori_err e,
			int64_t revision, const struct store_written *w,
			struct strbuf *err)
{
	struct draft_seen *d = ctx;

	if (e)
		store_refusal(r, e, err);
	else
		reply_draft(r, revision, w, d);
	draft_seen_release(d);
}

void api_response_put(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	struct draft_seen *d;
	json_t *j, *answers = NULL;
	int64_t base, revision = 0;
	char *text;
	enum mamori_err e;

	if (!own_campaign(r) || !(j = body_object(r, false)))
		return;
	if (!read_save_body(r, j, true, &base, &answers)) {
		json_decref(j);
		return;
	}
	text = json_dumps(answers, JSON_COMPACT);
	json_decref(j);
	if (!text) {
		reply_error(r, 500, "internal", "out of memory");
		return;
	}
	if (r->number) {	/* a report or additional form (reports.c) */
		e = resp_put_form(r, false, text, strlen(text), base,
				  &revision, &err);
		free(text);
		if (e)
			store_refusal(r, e, &err);
		else
			reply_view(r, 200, r->sess.who);
		strbuf_release(&err);
		return;
	}
	/* the store tells d what its validation found, for the reply; d
	 * lives as long as the request, whenever the save is answered */
	if ((d = arena_calloc(&r->arena, 1, sizeof(*d))))
		strbuf_init(&d->errors, 0);
	if (!d || arena_defer(&r->arena, draft_seen_release, d)) {
		free(text);
		reply_error(r, 500, "internal", "out of memory");
		return;
	}
	req_actor(r, &a);
	e = req_save_then(r, REV_DRAFT, &a, r->campaign, r->sess.who, text,
			  strlen(text), base,
			  &(struct store_seen){ r->lang, draft_seen_fn, d },
			  draft_saved, d, &err);
	free(text);
	if (e)
		store_refusal(r, e, &err);
	strbuf_release(&err);
}

void api_response_submit(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	struct resp_view v;
	json_t *j, *answers = NULL;
	int64_t base = 0, revision = 0;
	char *text = NULL;
	unsigned s;
	enum mamori_err e;

	if (!own_campaign(r) || !(j = body_object(r, true)))
		return;
	if ((s = resp_load_form(r, r->sess.who, r->number, &v))) {
		json_decref(j);
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such response"
				     : "cannot read the response");
		return;
	}
	if (json_object_size(j) &&
	    !read_save_body(r, j, false, &base, &answers))
		goto out;
	if (json_object_size(j) == 0)
		base = v.state.revision;	/* submit what was saved */
	if (!answers) {
		if (base != v.state.revision) {
			reply_error(r, 409, "stale", "the response changed "
				    "since you read it; reload it");
			goto out;
		}
		answers = v.answers;
	}
	text = json_dumps(answers, JSON_COMPACT);
	if (!text) {
		reply_error(r, 500, "internal", "out of memory");
		goto out;
	}
	req_actor(r, &a);
	e = r->number ? resp_put_form(r, true, text, strlen(text), base,
				      &revision, &err)
		      : store_response_submit(r->st, &a, r->campaign,
					      r->sess.who, text, strlen(text),
					      base, &revision, &err);
	if (e == MAMORI_EINVALID) {
		/* the engine's own errors, with item paths, for the client */
		const struct vresult *res = NULL;
		struct vopts vo = { .lang = r->lang };
		json_t *errs = instrument_validate(v.v, answers, &vo, &res)
			       ? json_array() : errors_json(res);
		reply_json(r, 422, json_pack("{s:s,s:s,s:o}", "error",
			"invalid", "message", "the response has errors",
			"errors", errs));
	} else if (e) {
		store_refusal(r, e, &err);
	} else {
		resp_view_release(&v);
		reply_view(r, 200, r->sess.who);
	}
out:
	free(text);
	json_decref(j);
	resp_view_release(&v);
	strbuf_release(&err);
}

/*
 * {"answers": {...}} (an optional "revision" is ignored; no body is no
 * answers): what the engine makes of them, as the form's live check
 * shows it (form_check_json). Nothing is stored.
 */
void api_response_check(struct req *r)
{
	struct resp_view v;
	json_t *j, *answers, *val;
	const char *key;
	unsigned s;

	if (!own_campaign(r) || !(j = body_object(r, true)))
		return;
	json_object_foreach(j, key, val) {
		if (strcmp(key, "revision") && strcmp(key, "answers")) {
			reply_error(r, 400, "bad_request",
				    "only revision and answers are known");
			json_decref(j);
			return;
		}
	}
	answers = json_object_get(j, "answers");
	if (answers && !json_is_object(answers)) {
		reply_error(r, 400, "bad_request", "answers: an object");
		json_decref(j);
		return;
	}
	/* nothing is saved: the store's validator serves */
	if ((s = load_view(r, r->sess.who, r->number, false, true, &v))) {
		json_decref(j);
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such response" : "cannot read it");
		return;
	}
	answers = answers ? json_incref(answers) : json_object();
	if ((s = resp_revalidate(r, &v, answers)))
		reply_error(r, s, "internal", "the answers cannot be checked");
	else
		reply_json(r, 200, form_check_json(r, &v));
	resp_view_release(&v);
	json_decref(j);
}

/* ---- the regulator ------------------------------------------------------- */

void api_responses_org(struct req *r)
{
	reply_view(r, 200, r->org);
}

void api_campaign_status(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign_status cs;
	json_t *by, *j;
	enum mamori_err e = store_campaign_status(r->st, r->campaign, &cs, &err);

	if (e) {
		if (e != MAMORI_ENOENT)
			log_failure(r, "campaign status", e, &err);
		reply_error(r, status_of(e), "not_found", "no such campaign");
		strbuf_release(&err);
		return;
	}
	strbuf_release(&err);
	by = json_array();
	for (size_t i = 0; by && i < PREFECTURE_COUNT; i++) {
		const struct store_pref_count *p = &cs.by_pref[i];
		if (p->population == 0)
			continue;
		json_array_append_new(by, json_pack("{s:s,s:I,s:I,s:I,s:I}",
			"prefecture", p->code,
			"population", (json_int_t)p->population,
			"invited", (json_int_t)p->invited,
			"drafts", (json_int_t)p->drafts,
			"submitted", (json_int_t)p->submitted));
	}
	j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}",
		      "population", (json_int_t)cs.population,
		      "invited", (json_int_t)cs.invited,
		      "drafts", (json_int_t)cs.drafts,
		      "submitted", (json_int_t)cs.submitted,
		      "reopened", (json_int_t)cs.reopened, "by_prefecture", by);
	reply_json(r, 200, j);
}
