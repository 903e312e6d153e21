/*
 * routes.c - the route table: the one place that says which role may
 * call which route, which routes answer JSON and which change state (and
 * so need the CSRF token). The regression tests walk all of it
 * ("mamori serve --routes"). Must never grow a second access check.
 */
#include "web/web_int.h"
#include "util/banned.h"

#define RESP ROLE_BIT(ROLE_RESPONDENT)
#define ADMIN ROLE_BIT(ROLE_ADMIN)

const struct route web_routes[] = {
	/* JSON API (docs/api.md) */
	{ .method = METHOD_POST, .pattern = "/api/v1/login",
	  .roles = ROLES_ANY, .api = true, .fn = api_login },
	{ .method = METHOD_POST, .pattern = "/api/v1/logout",
	  .roles = ROLES_SIGNED_IN, .api = true, .changes = true,
	  .fn = api_logout },
	{ .method = METHOD_GET, .pattern = "/api/v1/campaigns",
	  .roles = ROLES_SIGNED_IN, .api = true, .fn = api_campaigns },
	{ .method = METHOD_GET, .pattern = "/api/v1/campaigns/{campaign}/response",
	  .roles = RESP, .api = true, .fn = api_response_get },
	{ .method = METHOD_PUT, .pattern = "/api/v1/campaigns/{campaign}/response",
	  .roles = RESP, .api = true, .changes = true,
	  .fn = api_response_put },
	{ .method = METHOD_POST,
	  .pattern = "/api/v1/campaigns/{campaign}/response/submit",
	  .roles = RESP, .api = true, .changes = true,
	  .fn = api_response_submit },
	{ .method = METHOD_GET,
	  .pattern = "/api/v1/campaigns/{campaign}/responses/{org}",
	  .roles = ROLES_STAFF, .api = true, .fn = api_responses_org },
	{ .method = METHOD_GET, .pattern = "/api/v1/campaigns/{campaign}/status",
	  .roles = ROLES_STAFF, .api = true, .fn = api_campaign_status },
	/* the engine's verdict on answers, nothing stored */
	{ .method = METHOD_POST,
	  .pattern = "/api/v1/campaigns/{campaign}/response/check",
	  .roles = RESP, .api = true, .changes = true,
	  .fn = api_response_check },

	/* pages */
	{ .method = METHOD_GET, .pattern = "/", .roles = ROLES_ANY,
	  .fn = page_root },
	{ .method = METHOD_GET, .pattern = "/static/mamori.css",
	  .roles = ROLES_ANY, .fn = page_static_css },
	{ .method = METHOD_GET, .pattern = "/static/mamori.js",
	  .roles = ROLES_ANY, .fn = page_static_js },
	{ .method = METHOD_GET, .pattern = "/login", .roles = ROLES_ANY,
	  .fn = page_login },
	{ .method = METHOD_POST, .pattern = "/login", .roles = ROLES_ANY,
	  .fn = page_login_post },
	{ .method = METHOD_GET, .pattern = "/staff/login", .roles = ROLES_ANY,
	  .fn = page_staff_login },
	{ .method = METHOD_POST, .pattern = "/staff/login",
	  .roles = ROLES_ANY, .fn = page_staff_login_post },
	{ .method = METHOD_POST, .pattern = "/logout",
	  .roles = ROLES_SIGNED_IN, .changes = true, .fn = page_logout },
	{ .method = METHOD_GET, .pattern = "/campaigns",
	  .roles = ROLES_SIGNED_IN, .fn = page_campaigns },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/form",
	  .roles = RESP, .fn = page_form },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/form",
	  .roles = RESP, .changes = true, .fn = page_form_post },
	/* the form's live skip logic: JSON, nothing stored */
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/form/check",
	  .roles = RESP, .changes = true, .fn = page_form_check },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/review",
	  .roles = RESP, .fn = page_review },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/submit",
	  .roles = RESP, .changes = true, .fn = page_submit },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/receipt",
	  .roles = RESP, .fn = page_receipt },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/dashboard",
	  .roles = ROLES_STAFF, .fn = page_dashboard },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/missing.csv",
	  .roles = ROLES_STAFF, .fn = page_missing_csv },
	{ .method = METHOD_GET,
	  .pattern = "/campaigns/{campaign}/missing-forms.csv",
	  .roles = ROLES_STAFF, .fn = page_missing_forms_csv },
	{ .method = METHOD_GET,
	  .pattern = "/campaigns/{campaign}/responses/{org}",
	  .roles = ROLES_STAFF, .fn = page_response_view },
	/* results (results.c): staff; a respondent its own, once published */
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/results",
	  .roles = ROLES_STAFF, .fn = page_results },
	{ .method = METHOD_GET,
	  .pattern = "/campaigns/{campaign}/results/prefecture",
	  .roles = ROLES_STAFF, .fn = page_results_prefecture },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/publish",
	  .roles = ROLES_STAFF, .changes = true, .fn = page_results_publish },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/unpublish",
	  .roles = ROLES_STAFF, .changes = true,
	  .fn = page_results_unpublish },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/feedback",
	  .roles = RESP, .fn = page_feedback },
	/* IoT-SSF assessment of a pasted model (docs/iot-ssf.md): stateless */
	{ .method = METHOD_GET, .pattern = "/iot", .roles = ROLES_SIGNED_IN,
	  .fn = page_iot },
	{ .method = METHOD_POST, .pattern = "/iot", .roles = ROLES_SIGNED_IN,
	  .changes = true, .fn = page_iot_post },
	/* administration (admin.c; docs/api.md): accounts are the
	 * administrators'; a campaign's window, an organisation's access
	 * code and the audit log are every staff member's */
	{ .method = METHOD_GET, .pattern = "/admin/users", .roles = ADMIN,
	  .fn = admin_users },
	{ .method = METHOD_POST, .pattern = "/admin/users", .roles = ADMIN,
	  .changes = true, .fn = admin_user_create },
	{ .method = METHOD_POST, .pattern = "/admin/users/disable",
	  .roles = ADMIN, .changes = true, .fn = admin_user_disable },
	{ .method = METHOD_GET, .pattern = "/admin/audit",
	  .roles = ROLES_STAFF, .fn = admin_audit },
	{ .method = METHOD_GET, .pattern = "/campaigns/{campaign}/manage",
	  .roles = ROLES_STAFF, .fn = admin_manage },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/window",
	  .roles = ROLES_STAFF, .changes = true, .fn = admin_window },
	{ .method = METHOD_POST, .pattern = "/campaigns/{campaign}/code",
	  .roles = ROLES_STAFF, .changes = true, .fn = admin_code },
};

const size_t web_nroutes = sizeof(web_routes) / sizeof(web_routes[0]);
