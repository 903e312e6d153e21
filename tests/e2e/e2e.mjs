// e2e.mjs - the respondent's and the regulator's pages in headless
// Chromium, as a person uses them: one survey answered and submitted,
// numbered incident reports created, submitted and listed, a vendor form
// added beside the facility form. Started by e2e.sh, which makes the
// database and the server; every input comes from its environment:
//   E2E_BASE  http://127.0.0.1:PORT      E2E_OUT  folder for screenshots
//   E2E_ORG, E2E_CODE  a hospital and its access code
//   E2E_USER, E2E_PASS a regulator       E2E_CHROMIUM  the browser
//   E2E_REPORTS, E2E_REPORTS_CODE  a campaign of incident reports (always
//                      open, numbered) and the hospital's code to it
//   E2E_FORMS, E2E_FORMS_CODE      the checklist campaign with vendor
//                      forms and the hospital's code to it
// Prints TAP. On every page visited: a full-page screenshot, axe-core
// (no serious or critical violation), the HTML under 100 KB, and no
// script error or blocked resource in the console.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const env = (k) => {
	if (!process.env[k]) {
		console.log(`Bail out! ${k} is not set`);
		process.exit(1);
	}
	return process.env[k];
};
const BASE = env('E2E_BASE');
const OUT = env('E2E_OUT');
const ORG = env('E2E_ORG');
const CAMPAIGN = 1;
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SKIPPED = ['q6_backup', 'q7_generations', 'q8_isolated_storage',
	'q9_leak_protection'];
const ROWS = [
	{ maker: 'Fortinet', model: 'FortiGate 60E', units: '2',
	  firmware: 'FortiOS 6.0.4' },
	{ maker: 'ヤマハ', model: 'RTX1210', units: '1', firmware: '' },
];

let n = 0, failed = 0, shot = 0;
function ok(cond, name, diag) {
	n++;
	if (cond) {
		console.log(`ok ${n} - ${name}`);
	} else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (diag)
			console.log(String(diag).replace(/^/gm, '# '));
	}
	return cond;
}
const note = (s) => console.log(String(s).replace(/^/gm, '# '));

// The page is shown to a person: capture it, check it with axe-core,
// weigh its HTML and read its console.
async function visit(page, name) {
	await page.waitForLoadState('load');
	shot++;
	const file = join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`);
	// the sticky action bar would be drawn where the first screen ends:
	// in its place for the picture (through the CSSOM, which the page's
	// Content-Security-Policy allows, unlike an inline stylesheet)
	const bars = (pos) => page.evaluate((p) => {
		for (const e of document.querySelectorAll('.actions'))
			e.style.position = p;
	}, pos);
	await bars('static');
	await page.screenshot({ path: file, fullPage: true });
	await bars('');
	note(`${name}: ${page.url()} -> ${file}`);

	await page.evaluate(AXE);
	const r = await page.evaluate(() =>
		window.axe.run(document, { resultTypes: ['violations'] }));
	const serious = r.violations.filter((v) =>
		v.impact === 'serious' || v.impact === 'critical');
	const fmt = (v) => `${v.id} (${v.impact}): ${v.help}: ` +
		v.nodes.slice(0, 4).map((x) => x.target.join(' ')).join(', ');
	ok(serious.length === 0,
	   `${name}: axe-core finds no serious or critical violation`,
	   serious.map(fmt).join('\n'));
	for (const v of r.violations)
		if (!serious.includes(v))
			note(`axe, ${v.impact}: ${fmt(v)}`);

	const res = await page.context().request.get(page.url());
	const size = (await res.body()).length;
	ok(res.status() === 200 && size < 100 * 1024,
	   `${name}: the HTML is under 100 KB (${size} bytes)`,
	   `status ${res.status()}`);

	const errors = page.consoleErrors.splice(0);
	ok(errors.length === 0,
	   `${name}: no script error or blocked resource`, errors.join('\n'));
}

async function newPage(browser) {
	const ctx = await browser.newContext({
		viewport: { width: 1024, height: 800 }, locale: 'ja-JP' });
	const page = await ctx.newPage();
	page.consoleErrors = [];
	// a browser asks for /favicon.ico by itself; mamori has none
	page.on('console', (m) => {
		if (m.type() === 'error' &&
		    !/\/favicon\.ico$/.test(m.location().url || ''))
			page.consoleErrors.push(m.text());
	});
	page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
	page.setDefaultTimeout(30000);
	return page;
}

// Click something that posts a form and wait for the page it leads to.
async function follow(page, locator) {
	await Promise.all([
		page.waitForEvent('framenavigated',
				  (f) => f === page.mainFrame()),
		locator.click(),
	]);
	await page.waitForLoadState('load');
}

const q = (page, id) => page.locator(`#q_${id}`);
async function shown(page, id) {
	return (await q(page, id).count()) > 0 && await q(page, id).isVisible();
}
// true when every question of ids is visible (or, want false: none is),
// waiting a little for the page's script
async function allShown(page, ids, want) {
	for (let i = 0; i < 100; i++) {
		let all = true;
		for (const id of ids)
			if (await shown(page, id) !== want)
				all = false;
		if (all)
			return true;
		await page.waitForTimeout(100);
	}
	return false;
}
async function attrs(page, ids) {
	const out = [];
	for (const id of ids) {
		const c = await q(page, id).count();
		out.push(`#q_${id}: ${c ? 'hidden=' +
			await q(page, id).getAttribute('hidden') : 'absent'}`);
	}
	return out.join(', ');
}
async function submittedCount(page) {
	// the first body row is the whole campaign: population, invited,
	// drafts, submitted
	const t = await page.locator('table tbody tr').first()
		.locator('td').last().textContent();
	return Number(t.trim());
}

async function main() {
	const browser = await chromium.launch({
		executablePath: env('E2E_CHROMIUM'), headless: true,
		args: ['--disable-gpu', '--no-first-run',
		       '--disable-background-networking',
		       '--disable-component-update', '--disable-sync'],
	});
	try {
		await run(browser);
	} finally {
		await browser.close();
	}
}

async function run(browser) {
	// ---- the regulator looks first -------------------------------------
	const reg = await newPage(browser);
	await reg.goto(`${BASE}/staff/login`);
	await visit(reg, 'staff-login');
	await reg.fill('#user', env('E2E_USER'));
	await reg.fill('#password', env('E2E_PASS'));
	await follow(reg, reg.locator('form.signin button[type=submit]'));
	ok(new URL(reg.url()).pathname === '/campaigns',
	   'the regulator signs in and sees the campaigns', reg.url());
	await follow(reg, reg.locator(
		`a[href^="/campaigns/${CAMPAIGN}/dashboard"]`));
	const before = await submittedCount(reg);
	ok(Number.isInteger(before), `dashboard: ${before} submitted so far`);

	// ---- a hospital signs in -----------------------------------------------
	const page = await newPage(browser);
	await page.goto(`${BASE}/login`);
	await visit(page, 'login');
	const look = await page.evaluate(() => [
		getComputedStyle(document.body).color,
		getComputedStyle(document.body).fontFamily,
		getComputedStyle(document.querySelector('form.signin button'))
			.backgroundColor]);
	ok(look[0] === 'rgb(26, 26, 26)' && /^"?Noto Sans JP/.test(look[1]) &&
	   look[2] === 'rgb(0, 49, 216)',
	   'the design tokens reach the page (text grey 900, Noto Sans JP, ' +
	   'buttons blue 800)', look.join(' | '));
	await page.fill('#organisation', ORG);
	await page.fill('#access_code', env('E2E_CODE'));
	await follow(page, page.locator('form.signin button[type=submit]'));
	ok(new URL(page.url()).pathname === '/campaigns',
	   'the hospital signs in with its organisation id and access code',
	   page.url());
	await visit(page, 'campaigns');
	await follow(page, page.locator(`a[href^="/campaigns/${CAMPAIGN}/form"]`));
	ok(new URL(page.url()).pathname === `/campaigns/${CAMPAIGN}/form`,
	   'the survey opens from the campaigns page', page.url());
	ok(await page.locator('h1').textContent() ===
	   '病院における医療情報システムのバックアップデータ及びリモートゲートウェイ装置に係る調査（2022年）',
	   'the form is the 2022 hospital survey, in Japanese');

	// ---- skip logic, live ------------------------------------------------------
	// the page may ask the server (nothing stored), never save
	const revision = async () => (await (await page.context().request.get(
		`${BASE}/api/v1/campaigns/${CAMPAIGN}/response`)).json()).revision;
	const rev0 = await revision();
	const sent = [];
	const save = new RegExp(`/campaigns/${CAMPAIGN}/(form|response|submit)$`);
	const listen = (r) => {
		if (r.method() !== 'GET' && save.test(new URL(r.url()).pathname))
			sent.push(`${r.method()} ${r.url()}`);
	};
	page.on('request', listen);
	ok(await allShown(page, SKIPPED, false),
	   'before Q5 is answered, Q6-9 are not shown', await attrs(page, SKIPPED));
	await page.check('input[name=q5_ehr][value=yes]');
	ok(await allShown(page, SKIPPED, true),
	   'Q5 "yes": Q6-9 appear without a reload', await attrs(page, SKIPPED));
	await page.check('input[name=q5_ehr][value=no]');
	ok(await allShown(page, SKIPPED, false),
	   'Q5 "no EHR": Q6-9 disappear', await attrs(page, SKIPPED));
	let tagged = true;
	for (const id of SKIPPED)
		if ((await q(page, id).count()) !== 1 ||
		    (await q(page, id).getAttribute('hidden')) === null)
			tagged = false;
	ok(tagged, 'Q6-9 stay in the page as <div class="q" hidden>',
	   await attrs(page, SKIPPED));
	const rev1 = await revision();
	ok(sent.length === 0 && rev1 === rev0,
	   `the skip logic saves nothing (revision ${rev0} -> ${rev1})`,
	   sent.join('\n'));
	page.off('request', listen);
	await visit(page, 'form-q5-no');

	// ---- the other answers, two VPN devices ------------------------------
	await page.fill('#f_respondent_name', '守 太郎');
	await page.fill('#f_respondent_department', '医療情報部');
	await page.fill('#f_respondent_phone', '03-1234-5678');
	await page.fill('#f_respondent_email', 'it@alpha.example.jp');
	await page.check('input[name=q2_security_officer][value=appointed_separate]');
	await page.check('input[name=q3_guideline][value=guideline_only]');
	await page.check('input[name=q4_emergency_procedure][value=documented_trained]');
	await page.check('input[name=q10_vpn][value=yes]');
	await follow(page, page.locator('button[name=action][value=save]:not([aria-hidden=true])'));
	ok(/saved=1/.test(page.url()), 'saved: the form says so', page.url());
	ok(await allShown(page, SKIPPED, false),
	   'after saving, Q6-9 are still hidden', await attrs(page, SKIPPED));
	ok(await page.isChecked('input[name=q5_ehr][value=no]'),
	   'after saving, Q5 is still "no"');

	const add = page.locator('button[name=action][value="add:q11_vpn_devices"]:not([aria-hidden=true])');
	for (let r = 0; r < ROWS.length; r++) {
		await follow(page, add);
		const f = (c) => page.locator(`input[name="q11_vpn_devices.${r}.${c}"]`);
		ok(await f('maker').isVisible(), `VPN device row ${r + 1} is added`);
		for (const [c, v] of Object.entries(ROWS[r]))
			await f(c).fill(v);
	}
	for (const id of ['q12_vpn_updated', 'q13_vpn_restricted'])
		await page.check(`input[name=${id}][value=yes]`);
	await page.check('input[name=q14_vpn_log_review][value=no]');
	await follow(page, page.locator('button[name=action][value=save]:not([aria-hidden=true])'));
	await page.reload();
	let kept = [];
	for (let r = 0; r < ROWS.length; r++)
		for (const [c, v] of Object.entries(ROWS[r])) {
			const got = await page.inputValue(
				`input[name="q11_vpn_devices.${r}.${c}"]`);
			if (got !== v)
				kept.push(`row ${r + 1} ${c}: "${got}", wanted "${v}"`);
		}
	if (await page.inputValue('#f_respondent_name') !== '守 太郎')
		kept.push('respondent_name');
	for (const [k, v] of [['q5_ehr', 'no'], ['q10_vpn', 'yes'],
			      ['q14_vpn_log_review', 'no']])
		if (!await page.isChecked(`input[name=${k}][value=${v}]`))
			kept.push(k);
	ok(kept.length === 0, 'after a reload every answer is kept, both rows too',
	   kept.join('\n'));
	ok(await allShown(page, SKIPPED, false),
	   'after a reload, Q6-9 are still hidden', await attrs(page, SKIPPED));
	ok(await page.locator('p.error').count() === 0,
	   'no answer is marked wrong',
	   (await page.locator('p.error').allTextContents()).join('\n'));
	await visit(page, 'form-saved');

	// ---- review, submit, receipt ----------------------------------------------
	await follow(page, page.locator('button[name=action][value=review]:not([aria-hidden=true])'));
	ok(new URL(page.url()).pathname === `/campaigns/${CAMPAIGN}/review`,
	   'the review page', page.url());
	const submit = page.locator(
		`form[action^="/campaigns/${CAMPAIGN}/submit"] button`);
	ok(await submit.count() === 1, 'the review offers the submission');
	ok((await page.locator('main').textContent()).includes('FortiGate 60E'),
	   'the review shows the VPN devices');
	await visit(page, 'review');
	await follow(page, submit);
	ok(new URL(page.url()).pathname === `/campaigns/${CAMPAIGN}/receipt`,
	   'submitted: the receipt', page.url());
	const receipt = await page.locator('dl.receipt').textContent()
		.catch(() => '');
	const stamp = await page.locator('dl.receipt time').first()
		.getAttribute('datetime').catch(() => '');
	ok(receipt.includes(ORG) && /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST/.test(receipt) &&
	   /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(stamp || ''),
	   'the receipt names the organisation and the time', receipt);
	await visit(page, 'receipt');

	// ---- the regulator sees it ------------------------------------------------
	await reg.reload();
	const after = await submittedCount(reg);
	ok(after === before + 1,
	   `the dashboard's submitted count moved by one (${before} -> ${after})`);
	await visit(reg, 'dashboard');
	await reg.goto(`${BASE}/campaigns/${CAMPAIGN}/responses/${ORG}`);
	const view = await reg.locator('main').textContent();
	ok(view.includes('守 太郎') && view.includes('RTX1210'),
	   'the regulator reads the hospital\'s answers');
	ok(await reg.locator('main form:not([action*="/reopen"])').count() === 0,
	   '... with no form to change them');
	ok(await reg.locator('main form[action*="/reopen"] button').count() === 1,
	   '... but a button to return it to the hospital');
	await visit(reg, 'response-view');

	await reports(browser, reg);
	await vendorForms(browser);
}

// A hospital signs in to one campaign with its access code for it.
async function signIn(browser, code) {
	const page = await newPage(browser);
	await page.goto(`${BASE}/login`);
	await page.fill('#organisation', ORG);
	await page.fill('#access_code', code);
	await follow(page, page.locator('form.signin button[type=submit]'));
	return page;
}

// where the page is: path and number, "/campaigns/2/reports/form#1"
const at = (page) => {
	const u = new URL(page.url());
	return `${u.pathname}#${u.searchParams.get('number')}`;
};
const text = async (loc) => (await loc.count()) ?
	(await loc.first().textContent()).trim() : '';
// the rows of the campaigns page's list: "number state" each
async function listed(page) {
	const out = [];
	for (const tr of await page.locator('table.reports tbody tr').all())
		out.push(`${await text(tr.locator('th'))} ` +
			 `${await text(tr.locator('td').first())}`);
	return out;
}
const newButton = (page) => page.locator('section.reports form button');
const saveButton = (page) => page.locator(
	'button[name=action][value=save]:not([aria-hidden=true])');

// An incident report as a hospital writes it: every required item, with
// answers that keep the follow-up questions out of the way.
const INCIDENT = {
	text: {
		reporter_name: '医療 花子（事務部）',
		reporter_phone: '090-1234-5678',
		detected_date: '2025-11-28',
		detected_time: '06:40',
		summary: '早朝、電子カルテ端末で不審なログインを検知した。',
	},
	one: {
		report_kind: 'first', care_impact: 'none',
		leak_possible: 'no', backups_state: 'usable',
		police_informed: 'yes', vendors_informed: 'yes',
		prefecture_informed: 'planned', evidence_kept: 'yes',
		current_status: 'contained',
	},
	many: {
		incident_types: ['unauthorized_access'],
		systems_affected: ['ehr', 'vpn'],
		data_affected: ['none_known'],
	},
};
async function fillIncident(page) {
	for (const [k, v] of Object.entries(INCIDENT.text))
		await page.fill(`#f_${k}`, v);
	for (const [k, v] of Object.entries(INCIDENT.one))
		await page.check(`input[name=${k}][value=${v}]`);
	for (const [k, vs] of Object.entries(INCIDENT.many))
		for (const v of vs)
			await page.check(`input[name=${k}][value=${v}]`);
}
// the answers of INCIDENT the page does not show
async function incidentLost(page) {
	const lost = [];
	for (const [k, v] of Object.entries(INCIDENT.text)) {
		const got = await page.inputValue(`#f_${k}`);
		if (got !== v)
			lost.push(`${k}: "${got}", wanted "${v}"`);
	}
	for (const [k, v] of Object.entries(INCIDENT.one))
		if (!await page.isChecked(`input[name=${k}][value=${v}]`))
			lost.push(`${k}: not "${v}"`);
	for (const [k, vs] of Object.entries(INCIDENT.many))
		for (const v of vs)
			if (!await page.isChecked(`input[name=${k}][value=${v}]`))
				lost.push(`${k}: "${v}" not checked`);
	return lost;
}

// ---- incident reports: numbered 1, 2, ... in an always-open campaign ----
async function reports(browser, reg) {
	const C = Number(env('E2E_REPORTS'));
	const form = `/campaigns/${C}/reports/form`;
	const page = await signIn(browser, env('E2E_REPORTS_CODE'));
	ok(new URL(page.url()).pathname === '/campaigns',
	   'reports: the hospital signs in with its code for the incident reports',
	   page.url());
	ok(await text(page.locator('section.reports h3')) === '報告一覧' &&
	   (await text(page.locator('section.reports'))).includes('まだありません。'),
	   'reports: the campaigns page has an empty list of reports',
	   await text(page.locator('main')));
	ok(await page.locator(`a[href^="/campaigns/${C}/form"]`).count() === 0,
	   'reports: ... and no form of the campaign\'s own');
	ok(await text(newButton(page)) === '新しい報告を作成',
	   'reports: ... with a "new report" button');
	await visit(page, 'reports-none');

	// report 1: created, answered, saved, kept, submitted
	await follow(page, newButton(page));
	ok(at(page) === `${form}#1`, 'reports: "new report" opens report 1',
	   page.url());
	ok(await text(page.locator('p.meta strong')) === '報告 1',
	   'reports: the form says which report',
	   await text(page.locator('p.meta')));
	ok((await text(page.locator('h1'))).includes('インシデントの報告'),
	   'reports: the form is the incident report',
	   await text(page.locator('h1')));
	// the skip logic asks the numbered response's check
	await page.check('input[name=incident_types][value=ransomware]');
	const ransom = await allShown(page, ['ransom_demand'], true);
	await page.uncheck('input[name=incident_types][value=ransomware]');
	ok(ransom && await allShown(page, ['ransom_demand'], false),
	   'reports: ransomware brings Q7-2 (ransom demand), unchecked it goes',
	   await attrs(page, ['ransom_demand']));
	await fillIncident(page);
	await follow(page, saveButton(page));
	ok(at(page) === `${form}#1` &&
	   new URL(page.url()).searchParams.get('saved') === '1',
	   'reports: report 1 is saved, the form says so', page.url());
	await page.reload();
	const lost = await incidentLost(page);
	ok(lost.length === 0, 'reports: after a reload report 1 keeps every answer',
	   lost.join('\n'));
	ok(await page.locator('p.error').count() === 0,
	   'reports: no answer of report 1 is marked wrong',
	   (await page.locator('p.error').allTextContents()).join('\n'));
	await visit(page, 'report-1-form');

	await follow(page, page.locator(
		'button[name=action][value=review]:not([aria-hidden=true])'));
	ok(at(page) === `/campaigns/${C}/reports/review#1`,
	   'reports: the review of report 1', page.url());
	const submit = page.locator(
		`form[action^="/campaigns/${C}/reports/submit?number=1"] button`);
	ok(await submit.count() === 1, 'reports: the review offers its submission');
	ok((await text(page.locator('main'))).includes(INCIDENT.text.summary),
	   'reports: the review shows report 1\'s answers');
	await visit(page, 'report-1-review');
	await follow(page, submit);
	ok(at(page) === `/campaigns/${C}/reports/receipt#1`,
	   'reports: report 1 submitted: its receipt', page.url());
	const receipt = await text(page.locator('dl.receipt'));
	ok(receipt.includes(ORG) &&
	   /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST/.test(receipt) &&
	   await text(page.locator('p.meta strong')) === '報告 1',
	   'reports: the receipt names the organisation, the time and report 1',
	   receipt);
	await visit(page, 'report-1-receipt');

	// report 2, and the list of both
	await follow(page, page.locator('p.meta a[href^="/campaigns"]'));
	ok(new URL(page.url()).pathname === '/campaigns',
	   'reports: the receipt leads back to the campaigns page', page.url());
	await follow(page, newButton(page));
	ok(at(page) === `${form}#2`, 'reports: a second "new report" opens report 2',
	   page.url());
	ok(await page.inputValue('#f_reporter_name') === '',
	   'reports: report 2 starts empty');
	await page.fill('#f_reporter_name', '続報 担当');
	await follow(page, saveButton(page));
	ok(at(page) === `${form}#2` &&
	   await page.inputValue('#f_reporter_name') === '続報 担当',
	   'reports: report 2 is saved as a draft', page.url());
	await visit(page, 'report-2-form');
	await page.goto(`${BASE}/campaigns`);
	const rows = await listed(page);
	ok(rows.join(' | ') === '1 提出済み | 2 一時保存',
	   'reports: the list shows report 1 submitted and report 2 a draft',
	   rows.join('\n'));
	const hrefs = await page.locator('table.reports tbody a')
		.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	ok(hrefs.join(' ') === `${form}?number=1 ${form}?number=2`,
	   'reports: ... each with a link to its form', hrefs.join('\n'));
	await visit(page, 'reports-list');
	await page.goto(`${BASE}/campaigns?lang=en`);
	const en = await listed(page);
	ok(await text(page.locator('section.reports h3')) === 'Reports' &&
	   await text(newButton(page)) === 'New report' &&
	   en.join(' | ') === '1 submitted | 2 draft',
	   'reports: the list in English', `${en.join('\n')}\n` +
	   await text(page.locator('section.reports')));
	await page.context().close();

	// the regulator: the hospital's reports, one with its revisions
	await reg.goto(`${BASE}/campaigns/${C}/responses/${ORG}`);
	const regRows = await reg.locator('main table tbody tr').count();
	ok(regRows === 2, 'reports: the regulator sees the hospital\'s two reports',
	   await text(reg.locator('main')));
	await visit(reg, 'reports-regulator-list');
	await reg.goto(`${BASE}/campaigns/${C}/responses/${ORG}/reports?number=1`);
	const view = await text(reg.locator('main'));
	ok(view.includes(INCIDENT.text.summary) &&
	   await reg.locator('section.history tbody tr').count() >= 2,
	   'reports: the regulator reads report 1 and its revisions', view);
	ok(await reg.locator('main form:not([action*="/reopen"])').count() === 0,
	   'reports: ... with no form to change it');
	await visit(reg, 'report-1-regulator');
	await reg.locator('main form[action*="/reopen"] button').click();
	await reg.waitForLoadState();
	ok(reg.url().includes(`/responses/${ORG}/reports?number=1`) &&
	   (await text(reg.locator('section.history'))).includes('差し戻し') &&
	   await reg.locator('main form[action*="/reopen"]').count() === 0,
	   'reports: the regulator returns report 1; it reads 差し戻し and has no button now',
	   await text(reg.locator('main')));
}

// ---- vendor forms beside the facility form ------------------------------------
async function vendorForms(browser) {
	const C = Number(env('E2E_FORMS'));
	const form = `/campaigns/${C}/reports/form`;
	const VENDOR = { vendor_name: '株式会社メディカルシステム例',
			 facility_name: 'Alpha Hospital',
			 system_names: '電子カルテ MX 5.2' };
	const page = await signIn(browser, env('E2E_FORMS_CODE'));
	ok(await page.locator(`a[href="/campaigns/${C}/form"]`).count() === 1,
	   'forms: the facility form keeps its place on the campaigns page',
	   page.url());
	ok(await text(page.locator('section.reports h3')) === '委託先様式' &&
	   (await text(page.locator('section.reports'))).includes('まだありません。') &&
	   await text(newButton(page)) === '委託先様式を追加',
	   'forms: beside it, no vendor form yet and a button to add one',
	   await text(page.locator('main')));
	await visit(page, 'forms-none');

	await follow(page, newButton(page));
	ok(at(page) === `${form}#1`, 'forms: "add a vendor form" opens vendor form 1',
	   page.url());
	ok(await text(page.locator('p.meta strong')) === '委託先様式 1' &&
	   (await text(page.locator('h1'))).includes('事業者確認用'),
	   'forms: the page names vendor form 1 of the vendor checklist',
	   `${await text(page.locator('h1'))} / ${await text(page.locator('p.meta'))}`);
	ok(await page.locator('input[name=vendor_count]').count() === 0,
	   'forms: ... without the facility\'s questions');
	for (const [k, v] of Object.entries(VENDOR))
		await page.fill(`#f_${k}`, v);
	await page.check('input[name=manages_network][value=yes]');
	await follow(page, saveButton(page));
	ok(at(page) === `${form}#1` &&
	   new URL(page.url()).searchParams.get('saved') === '1',
	   'forms: vendor form 1 is saved', page.url());
	await page.reload();
	const lost = [];
	for (const [k, v] of Object.entries(VENDOR))
		if (await page.inputValue(`#f_${k}`) !== v)
			lost.push(k);
	if (!await page.isChecked('input[name=manages_network][value=yes]'))
		lost.push('manages_network');
	ok(lost.length === 0, 'forms: after a reload vendor form 1 keeps its answers',
	   lost.join('\n'));
	await visit(page, 'vendor-form-1');

	await page.goto(`${BASE}/campaigns`);
	const rows = await listed(page);
	ok(rows.join(' | ') === '1 一時保存',
	   'forms: the campaigns page lists vendor form 1 as a draft',
	   rows.join('\n'));
	await visit(page, 'forms-list');
	await follow(page, page.locator(`a[href="/campaigns/${C}/form"]`));
	ok(new URL(page.url()).pathname === `/campaigns/${C}/form` &&
	   (await text(page.locator('h1'))).includes('医療機関確認用') &&
	   await page.locator('input[name=vendor_name]').count() === 0,
	   'forms: the facility form opens at its usual address, its own questions',
	   page.url());
	await page.context().close();
}

main().then(() => {
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
}, (e) => {
	ok(false, 'the scenario ran to its end', e && e.stack);
	console.log(`1..${n}`);
	process.exit(1);
});
