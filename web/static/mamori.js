/*
 * mamori.js - live skip logic for the respondent's form. The expression
 * language has one implementation, in the server: on every change this
 * posts the form (debounced) to its data-check URL, which judges the
 * answers without saving them, and then shows the questions that apply,
 * hides the others (the hidden attribute; their fields lose their name
 * and are disabled, so they are not sent), updates the inline messages
 * and the progress line. Without it the form works as it is: the server
 * renders the same on every save. No inline script, no eval.
 */
(function () {
	'use strict';

	var form = document.getElementById('answers');
	if (!form || !form.getAttribute('data-check') || !window.XMLHttpRequest)
		return;
	var url = form.getAttribute('data-check');
	var timer = null, seq = 0, busy = false, again = false;
	var touched = {};	/* DOM ids of the questions the respondent changed */
	var PREFIXES = ['q_', 's_', 'r_', 'n_'];

	function byId(id) {
		return document.getElementById(id);
	}

	/* The form as the browser would post it (urlencoded). */
	function serialise() {
		var parts = [], els = form.elements, i, el, t;
		for (i = 0; i < els.length; i++) {
			el = els[i];
			t = (el.type || '').toLowerCase();
			if (!el.name || el.disabled || t === 'submit' ||
			    t === 'button' || t === 'reset' || t === 'file')
				continue;
			if ((t === 'radio' || t === 'checkbox') && !el.checked)
				continue;
			parts.push(encodeURIComponent(el.name) + '=' +
				   encodeURIComponent(el.value));
		}
		return parts.join('&');
	}

	/* "q11_vpn_devices[2].maker" -> "q11_vpn_devices.1.maker" (the
	 * field name, which follows "q_" in the question's id). */
	function fieldOf(path) {
		var m = /^([^\[]+)\[(\d+)\]\.(.+)$/.exec(path);
		return m ? m[1] + '.' + (parseInt(m[2], 10) - 1) + '.' + m[3]
			 : path;
	}

	function elementOf(path) {
		var f = fieldOf(path), i, el;
		for (i = 0; i < PREFIXES.length; i++) {
			el = byId(PREFIXES[i] + f);
			if (el)
				return el;
		}
		return null;
	}

	function insideHidden(el) {
		for (el = el.parentNode; el && el !== form; el = el.parentNode)
			if (el.hasAttribute && el.hasAttribute('hidden'))
				return true;
		return false;
	}

	/* Fields of a hidden item are nameless and disabled; shown again
	 * they get their name back, unless an enclosing item is hidden. */
	function setFields(box) {
		var els = box.querySelectorAll('input, select, textarea, button');
		var i, el, off, n;
		for (i = 0; i < els.length; i++) {
			el = els[i];
			if (el.className === 'default-action')
				continue;
			off = insideHidden(el);
			if (off && el.hasAttribute('name')) {
				el.setAttribute('data-field', el.getAttribute('name'));
				el.removeAttribute('name');
			} else if (!off && el.hasAttribute('data-field')) {
				n = el.getAttribute('data-field');
				el.removeAttribute('data-field');
				el.setAttribute('name', n);
			}
			el.disabled = off;
		}
	}

	function setRelevant(el, on) {
		if (on === !el.hasAttribute('hidden'))
			return false;
		if (on)
			el.removeAttribute('hidden');
		else
			el.setAttribute('hidden', '');
		return true;
	}

	/* The question's control(s) that carry aria-describedby. */
	function describedControl(box) {
		return box.querySelector('fieldset.choices') ||
		       box.querySelector('input[id^="f_"]');
	}

	/* Show the engine's messages (errors) of one question, or none,
	 * keeping the aria-describedby tie between field and message. */
	function setMessages(box, msgs) {
		var f = box.id.substring(2), eid = 'e_' + f;
		var p = byId(eid), ctl = describedControl(box), text = [], i;
		var ids, keep = [];
		for (i = 0; i < msgs.length; i++)
			if (msgs[i].code !== 'not_relevant')
				text.push(msgs[i].message);
		if (text.length) {
			if (!p) {
				p = document.createElement('p');
				p.className = 'error';
				p.id = eid;
				if (ctl && ctl.tagName === 'FIELDSET')
					ctl.appendChild(p);
				else if (ctl)
					ctl.parentNode.insertBefore(p, ctl.nextSibling);
				else
					box.appendChild(p);
			}
			p.textContent = text.join(' ');
			box.className = 'q invalid';
		} else {
			if (p)
				p.parentNode.removeChild(p);
			box.className = 'q';
		}
		if (!ctl)
			return;
		ids = (ctl.getAttribute('aria-describedby') || '').split(/\s+/);
		for (i = 0; i < ids.length; i++)
			if (ids[i] && ids[i] !== eid)
				keep.push(ids[i]);
		if (text.length)
			keep.push(eid);
		if (keep.length)
			ctl.setAttribute('aria-describedby', keep.join(' '));
		else
			ctl.removeAttribute('aria-describedby');
		if (ctl.tagName === 'INPUT') {
			if (text.length)
				ctl.setAttribute('aria-invalid', 'true');
			else
				ctl.removeAttribute('aria-invalid');
		}
	}

	function apply(res) {
		var path, st, el, changed = false, t, bar;
		for (path in res.items) {
			if (!Object.prototype.hasOwnProperty.call(res.items, path))
				continue;
			st = res.items[path];
			el = elementOf(path);
			if (!el)
				continue;
			if (setRelevant(el, st.relevant))
				changed = true;
			if (el.id.substring(0, 2) === 'q_' &&
			    (touched[el.id] || el.className.indexOf('invalid') >= 0))
				setMessages(el, st.relevant ? st.messages : []);
		}
		if (changed)
			setFields(form);
		t = byId('progress-text');
		if (t && res.progress)
			t.textContent = res.progress.text;
		bar = byId('progress-bar');
		if (bar && res.progress) {
			bar.max = res.progress.applicable || 1;
			bar.value = res.progress.answered;
		}
	}

	function check() {
		var xhr, mine, csrf = form.elements.csrf;
		if (busy) {
			again = true;
			return;
		}
		busy = true;
		mine = ++seq;
		xhr = new XMLHttpRequest();
		xhr.open('POST', url, true);
		xhr.setRequestHeader('Content-Type',
				     'application/x-www-form-urlencoded');
		if (csrf)
			xhr.setRequestHeader('X-CSRF-Token', csrf.value);
		xhr.onreadystatechange = function () {
			var res = null;
			if (xhr.readyState !== 4)
				return;
			busy = false;
			if (xhr.status === 200 && mine === seq) {
				try {
					res = JSON.parse(xhr.responseText);
				} catch (e) {
					res = null;
				}
				if (res && res.items)
					apply(res);
			}
			if (again) {
				again = false;
				check();
			}
		};
		xhr.send(serialise());
	}

	function questionOf(el) {
		for (; el && el !== form; el = el.parentNode)
			if (el.id && el.id.substring(0, 2) === 'q_')
				return el;
		return null;
	}

	function changed(ev) {
		var q = questionOf(ev.target);
		if (!ev.target.name || (ev.target.name.indexOf('evidence_reason.') === 0))
			return;
		if (q)
			touched[q.id] = true;
		if (timer)
			clearTimeout(timer);
		timer = setTimeout(check, 300);
	}

	form.addEventListener('change', changed, false);
	form.addEventListener('input', changed, false);
})();
