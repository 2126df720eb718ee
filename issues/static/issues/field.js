// The field page (issues/field_views.py): a patrol recorded with or without signal.
//
// Every record — a patrol started or ended, a finding with its photo, a household visit —
// is first stored in this phone's IndexedDB under an id the phone gives it, then sent one
// at a time, in the order recorded, whenever there is a connection. The server stores a
// record sent twice once, so a retry after a lost answer is safe. Points of the route are
// kept and sent in batches. Nothing is removed from the phone before the server said it
// stored it; a record it refused stays, with its reason, until the worker tries again or
// discards it. What is typed into a form is kept as a draft until it is saved.
(function () {
  "use strict";

  var root = document.querySelector("[data-field]");
  if (!root || !window.indexedDB) {
    return;
  }
  var DATA = JSON.parse(document.getElementById("field-data").textContent);
  var TEXT = JSON.parse(document.getElementById("field-texts").textContent);
  var URLS = JSON.parse(root.getAttribute("data-urls"));
  var KEEP_SENT_MS = 24 * 3600 * 1000; // sent records stay listed for a day
  var FRESH_FIX_MS = 2 * 60 * 1000; // a position older than this is not attached
  var TRACK_EVERY_M = 10;
  var TRACK_EVERY_MS = 60 * 1000;
  var TRACK_BATCH = 200;
  var PHOTO_MAX_SIDE = 1600;

  function $(selector) {
    return root.querySelector(selector);
  }
  function text(key, values) {
    var result = TEXT[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      result = result.split("{" + name + "}").join(String(values[name]));
    });
    return result;
  }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function time(iso) {
    return new Date(iso).getTime();
  }
  function clock(iso) {
    var date = new Date(iso);
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // ------------------------------------------------------------------ the phone's store

  var dbReady = new Promise(function (resolve, reject) {
    // One database per user: a phone shared by two workers never mixes their records.
    var request = window.indexedDB.open("yishi-field-" + DATA.user, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("records", { keyPath: "id" });
      db.createObjectStore("track", { keyPath: "key", autoIncrement: true }).createIndex("patrol", "patrol");
      db.createObjectStore("drafts", { keyPath: "form" });
    };
    request.onsuccess = function () {
      resolve(request.result);
    };
    request.onerror = function () {
      reject(request.error);
    };
  });

  function store(name, mode, work) {
    return dbReady.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name, mode);
        var request = work(transaction.objectStore(name));
        transaction.oncomplete = function () {
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }
  function all(name) {
    return store(name, "readonly", function (s) {
      return s.getAll();
    });
  }
  function put(name, value) {
    return store(name, "readwrite", function (s) {
      return s.put(value);
    });
  }
  function remove(name, key) {
    return store(name, "readwrite", function (s) {
      return s.delete(key);
    });
  }

  var records = []; // every record on the phone, oldest first
  var pendingPoints = 0;
  var sequence = 0;

  function load() {
    return Promise.all([all("records"), all("track")]).then(function (found) {
      var now = Date.now();
      var old = found[0].filter(function (r) {
        return r.state === "sent" && now - new Date(r.sentAt || r.createdAt).getTime() > KEEP_SENT_MS;
      });
      old.forEach(function (r) {
        remove("records", r.id);
      });
      records = found[0]
        .filter(function (r) {
          return old.indexOf(r) === -1;
        })
        .sort(function (a, b) {
          return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.seq - b.seq;
        });
      pendingPoints = found[1].length;
    });
  }

  function save(record) {
    return put("records", record).then(function () {
      var index = records.findIndex(function (r) {
        return r.id === record.id;
      });
      if (index === -1) {
        records.push(record);
      } else {
        records[index] = record;
      }
    });
  }

  function newRecord(op, id, fields, extra) {
    var now = new Date().toISOString();
    var record = {
      id: id,
      op: op,
      fields: fields,
      createdAt: now,
      seq: sequence++,
      state: "waiting",
      error: "",
      answer: null,
    };
    Object.keys(extra || {}).forEach(function (key) {
      record[key] = extra[key];
    });
    return record;
  }

  // ------------------------------------------------------------------ patrols

  function endedLocally(patrolId) {
    return records.some(function (r) {
      return r.op === "patrol_end" && r.fields.patrol === patrolId && r.state !== "failed";
    });
  }

  // The patrol being walked: the latest started here or known to the server, not ended.
  function currentPatrol() {
    var patrols = [];
    records.forEach(function (r) {
      if (r.op === "patrol_start" && r.state !== "failed") {
        patrols.push({ id: r.id, grid: r.gridName, started: r.fields.recorded_at, notes: r.fields.route_notes, url: r.answer && r.answer.url });
      }
    });
    DATA.running.forEach(function (p) {
      var known = patrols.filter(function (q) {
        return q.id === p.client_id;
      })[0];
      if (known) {
        known.server = p;
        known.url = known.url || p.url;
      } else {
        patrols.push({ id: p.client_id, grid: p.grid_name, started: p.started_at, notes: p.route_notes, url: p.url, server: p });
      }
    });
    patrols = patrols.filter(function (p) {
      return !endedLocally(p.id);
    });
    patrols.sort(function (a, b) {
      return time(b.started) - time(a.started);
    });
    return patrols[0] || null;
  }

  // The answer the server gave to a patrol's start (its page), once it was sent.
  function patrolStart(id) {
    var start = records.filter(function (r) {
      return r.op === "patrol_start" && r.id === id && r.state === "sent";
    })[0];
    return start && start.answer;
  }

  function findingsOf(patrol) {
    var local = records.filter(function (r) {
      return r.op === "finding" && r.fields.patrol === patrol.id;
    });
    var shown = local.map(function (r) {
      return { record: r, text: r.fields.text, place: r.place, time: r.fields.recorded_at };
    });
    if (patrol.server) {
      patrol.server.findings.forEach(function (f) {
        if (!local.some(function (r) { return r.id === f.client_id; })) {
          shown.push({ server: f, text: f.text, place: f.place, time: f.found_at });
        }
      });
    }
    return shown.sort(function (a, b) {
      return time(a.time) - time(b.time);
    });
  }

  // ------------------------------------------------------------------ the phone's position

  var fix = null;
  var watching = null;
  var lastPoint = null;
  var locationLine = $("[data-field-location]");

  function distanceM(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLng = (b.lng - a.lng) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function watchPosition() {
    if (watching !== null) {
      return;
    }
    if (!navigator.geolocation) {
      locationLine.textContent = text("location_unsupported");
      return;
    }
    locationLine.textContent = text("locating");
    watching = navigator.geolocation.watchPosition(
      function (position) {
        fix = {
          lat: position.coords.latitude,
          lng: position.coords.longitude,
          acc: Math.round(position.coords.accuracy),
          at: Date.now(),
        };
        locationLine.textContent = text("located", { m: fix.acc });
        keepPoint();
      },
      function (error) {
        fix = null;
        locationLine.textContent = text(error.code === 1 ? "location_denied" : "location_unavailable");
        if (error.code === 1 && watching !== null) {
          navigator.geolocation.clearWatch(watching);
        }
      },
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 }
    );
  }

  function freshFix() {
    return fix && Date.now() - fix.at <= FRESH_FIX_MS ? fix : null;
  }

  function positionFields(fields) {
    var here = freshFix();
    if (here) {
      fields.latitude = here.lat.toFixed(7);
      fields.longitude = here.lng.toFixed(7);
      fields.accuracy = String(here.acc);
    }
    return fields;
  }

  // A point of the route every 10 m or every minute while a patrol runs.
  function keepPoint() {
    var patrol = currentPatrol();
    if (!patrol || !fix) {
      return;
    }
    var point = { lat: fix.lat, lng: fix.lng, at: fix.at };
    if (lastPoint && lastPoint.patrol === patrol.id && distanceM(lastPoint, point) < TRACK_EVERY_M && point.at - lastPoint.at < TRACK_EVERY_MS) {
      return;
    }
    lastPoint = { lat: point.lat, lng: point.lng, at: point.at, patrol: patrol.id };
    put("track", {
      patrol: patrol.id,
      t: new Date(fix.at).toISOString(),
      lat: Number(fix.lat.toFixed(7)),
      lng: Number(fix.lng.toFixed(7)),
      acc: fix.acc,
    }).then(function () {
      pendingPoints += 1;
      renderOutbox();
      scheduleSync(5000);
    });
  }

  // ------------------------------------------------------------------ drawing the page

  var announcer = $("[data-field-announce]");
  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = content;
    }
    return node;
  }

  var BADGES = { waiting: "text-bg-warning", sending: "text-bg-info", sent: "text-bg-success", failed: "text-bg-danger" };

  function badge(state) {
    return element("span", "badge " + BADGES[state], text(state));
  }

  var photoUrls = {};
  function thumbnail(record) {
    if (!record.photo) {
      return null;
    }
    if (!photoUrls[record.id]) {
      photoUrls[record.id] = URL.createObjectURL(record.photo);
    }
    var img = element("img", "field-thumb rounded mt-1");
    img.src = photoUrls[record.id];
    img.alt = text("photo");
    return img;
  }

  function recordActions(record, item) {
    if (record.state === "failed") {
      item.appendChild(element("div", "small text-danger-emphasis mt-1", record.error));
      var actions = element("div", "d-flex gap-2 mt-1");
      var retry = element("button", "btn btn-sm btn-outline-primary", text("retry"));
      retry.type = "button";
      retry.addEventListener("click", function () {
        record.state = "waiting";
        record.error = "";
        save(record).then(function () {
          render();
          sync();
        });
      });
      var discard = element("button", "btn btn-sm btn-outline-danger", text("discard"));
      discard.type = "button";
      discard.addEventListener("click", function () {
        if (window.confirm(text("discard_confirm"))) {
          remove("records", record.id).then(function () {
            records = records.filter(function (r) {
              return r.id !== record.id;
            });
            render();
          });
        }
      });
      actions.appendChild(retry);
      actions.appendChild(discard);
      item.appendChild(actions);
    } else if (record.state === "waiting" && record.note) {
      item.appendChild(element("div", "small text-body-secondary mt-1", record.note));
    }
    var issue = record.answer && record.answer.issue;
    if (issue) {
      var link = element("a", "d-inline-block mt-1", text("issue", { id: issue.id }));
      link.href = issue.url;
      item.appendChild(link);
    }
  }

  function describe(record) {
    if (record.op === "finding") {
      return record.fields.text;
    }
    if (record.op === "visit") {
      return record.householdLabel + (record.fields.findings ? "：" + record.fields.findings : "");
    }
    if (record.op === "patrol_start") {
      return record.gridName || "";
    }
    return record.fields.route_notes || "";
  }

  function renderOutbox() {
    var waiting = records.filter(function (r) {
      return r.state === "waiting" || r.state === "sending";
    });
    var failed = records.filter(function (r) {
      return r.state === "failed";
    });
    var parts = [];
    if (waiting.length) {
      parts.push(text("waiting_count", { n: waiting.length }));
    }
    if (failed.length) {
      parts.push(text("failed_count", { n: failed.length }));
    }
    if (pendingPoints) {
      parts.push(text("points_waiting", { n: pendingPoints }));
    }
    $("[data-field-outbox-summary]").textContent = parts.length ? parts.join(" ") : text("all_sent");
    $("[data-field-send]").hidden = !(waiting.length || pendingPoints);
    var outbox = $("[data-field-outbox]");
    outbox.classList.toggle("border-warning", waiting.length > 0);
    outbox.classList.toggle("border-danger", failed.length > 0);
    // What failed is shown with its reason; what waits is one tap away.
    $("[data-field-waiting]").hidden = !waiting.length;
    $("[data-field-failed-list]").replaceChildren();
    $("[data-field-outbox-list]").replaceChildren();
    failed.concat(waiting).forEach(function (record) {
      var list = $(record.state === "failed" ? "[data-field-failed-list]" : "[data-field-outbox-list]");
      var item = element("li", "field-item");
      item.setAttribute("data-record", record.id);
      var head = element("div", "d-flex flex-wrap gap-2 align-items-center");
      head.appendChild(badge(record.state));
      head.appendChild(element("strong", "", text(record.op)));
      head.appendChild(element("span", "small text-body-secondary", clock(record.createdAt)));
      item.appendChild(head);
      item.appendChild(element("div", "field-item-text", describe(record)));
      recordActions(record, item);
      list.appendChild(item);
    });
  }

  function renderFindings(patrol) {
    var list = $("[data-field-findings]");
    list.replaceChildren();
    var shown = findingsOf(patrol);
    if (!shown.length) {
      list.appendChild(element("li", "text-body-secondary", text("no_findings")));
    }
    shown.forEach(function (entry) {
      var item = element("li", "field-item");
      var head = element("div", "d-flex flex-wrap gap-2 align-items-center");
      head.appendChild(badge(entry.record ? entry.record.state : "sent"));
      head.appendChild(element("span", "small text-body-secondary", clock(entry.time) + (entry.place ? " · " + entry.place : "")));
      item.appendChild(head);
      item.appendChild(element("div", "field-item-text", entry.text));
      if (entry.record) {
        var img = thumbnail(entry.record);
        if (img) {
          item.appendChild(img);
        }
        recordActions(entry.record, item);
      } else {
        if (entry.server.photo) {
          var photo = element("img", "field-thumb rounded mt-1");
          photo.src = entry.server.photo;
          photo.alt = text("photo");
          item.appendChild(photo);
        }
        if (entry.server.issue) {
          item.appendChild(element("div", "small", text("issue", { id: entry.server.issue.id }) + " " + entry.server.issue.title));
        }
      }
      list.appendChild(item);
    });
  }

  function renderVisits() {
    var list = $("[data-field-visits]");
    list.replaceChildren();
    var visits = records.filter(function (r) {
      return r.op === "visit";
    });
    if (!visits.length) {
      list.appendChild(element("li", "text-body-secondary small", text("no_visits")));
    }
    visits.forEach(function (record) {
      var item = element("li", "field-item");
      var head = element("div", "d-flex flex-wrap gap-2 align-items-center");
      head.appendChild(badge(record.state));
      head.appendChild(element("span", "small text-body-secondary", clock(record.fields.recorded_at)));
      item.appendChild(head);
      item.appendChild(element("div", "field-item-text", describe(record)));
      recordActions(record, item);
      list.appendChild(item);
    });
  }

  var lastEnded = null;

  function render() {
    var patrol = currentPatrol();
    $("[data-field-start]").hidden = !!patrol;
    $("[data-field-running]").hidden = !patrol;
    var ended = $("[data-field-ended]");
    ended.hidden = !!patrol || !lastEnded;
    if (lastEnded && lastEnded.url) {
      $("[data-field-ended-link]").href = lastEnded.url;
    }
    var waiting = records.some(function (r) {
      return r.state !== "sent";
    });
    $("[data-field-ended-text]").textContent = text(waiting ? "ended_waiting" : "ended_sent");
    if (patrol) {
      $("[data-field-running-title]").textContent = text("running_title", { grid: patrol.grid || "", time: clock(patrol.started) });
      $("[data-field-running-notes]").textContent = patrol.notes || "";
      var link = $("[data-field-patrol-link]");
      var url = patrol.url || (patrolStart(patrol.id) || {}).url;
      link.hidden = !url;
      if (url) {
        link.href = url;
      }
      renderFindings(patrol);
      watchPosition();
    }
    renderOutbox();
    renderVisits();
  }

  function renderNetwork() {
    var online = navigator.onLine;
    var badgeNode = $("[data-field-network]");
    badgeNode.textContent = online ? text("online") : text("offline");
    badgeNode.className = "badge " + (online ? "text-bg-success" : "text-bg-secondary");
    badgeNode.title = online ? "" : text("offline_note");
    var note = $("[data-field-offline-note]");
    if (!online && !note) {
      note = element("p", "alert alert-secondary small py-2 mb-2", text("offline_note"));
      note.setAttribute("data-field-offline-note", "");
      $("[data-field-outbox]").before(note);
    } else if (online && note) {
      note.remove();
    }
  }

  // ------------------------------------------------------------------ forms

  function formFields(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "file" || field.type === "submit" || field.type === "hidden") {
        return;
      }
      if (field.type === "checkbox") {
        if (field.name === "residents_seen") {
          fields.residents_seen = fields.residents_seen || [];
          if (field.checked) {
            fields.residents_seen.push(field.value);
          }
        } else {
          fields[field.name] = field.checked ? "on" : "";
        }
        return;
      }
      fields[field.name] = field.value;
    });
    return fields;
  }

  function showError(form, name, message) {
    var field = form.elements[name];
    if (!field) {
      announce(message);
      return;
    }
    field.classList.add("is-invalid");
    var feedback = element("div", "invalid-feedback d-block", message);
    feedback.setAttribute("data-field-error", "");
    feedback.id = (field.id || name) + "-error";
    field.setAttribute("aria-describedby", feedback.id);
    field.after(feedback);
    field.focus();
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-field-error]").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll(".is-invalid").forEach(function (node) {
      node.classList.remove("is-invalid");
    });
  }

  function optionText(select) {
    return select && select.value ? select.options[select.selectedIndex].text : "";
  }

  // A photo from a phone's camera is 3–8 MB: a copy at most 1600 px wide is plenty for the
  // record and goes through a weak signal. Kept as it is when the browser cannot scale it.
  function shrink(file) {
    if (!file || !window.createImageBitmap) {
      return Promise.resolve(file || null);
    }
    return window
      .createImageBitmap(file)
      .then(function (bitmap) {
        var scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 1500000) {
          return file;
        }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              resolve(blob || file);
            },
            "image/jpeg",
            0.85
          );
        });
      })
      .catch(function () {
        return file;
      });
  }

  function finishForm(form, message) {
    form.reset();
    remove("drafts", form.getAttribute("data-field-form"));
    render();
    announce(message);
    sync();
  }

  var forms = {};
  root.querySelectorAll("[data-field-form]").forEach(function (form) {
    forms[form.getAttribute("data-field-form")] = form;
  });

  if (forms.patrol_start) {
    forms.patrol_start.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = forms.patrol_start;
      clearErrors(form);
      var fields = formFields(form);
      if (!fields.grid) {
        showError(form, "grid", text("need_grid"));
        return;
      }
      var id = uuid();
      fields.client_id = id;
      fields.recorded_at = new Date().toISOString();
      lastEnded = null;
      watchPosition();
      var record = newRecord("patrol_start", id, positionFields(fields), { gridName: optionText(form.elements.grid) });
      save(record).then(function () {
        finishForm(form, text("saved_here"));
        keepPoint();
        var first = forms.finding && forms.finding.querySelector("textarea");
        if (first) {
          first.focus();
        }
      });
    });
  }

  if (forms.finding) {
    forms.finding.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = forms.finding;
      clearErrors(form);
      var patrol = currentPatrol();
      var fields = formFields(form);
      if (!patrol) {
        announce(text("no_patrol"));
        return;
      }
      if (!fields.text.trim()) {
        showError(form, "text", text("need_text"));
        return;
      }
      var id = uuid();
      fields.client_id = id;
      fields.patrol = patrol.id;
      fields.recorded_at = new Date().toISOString();
      positionFields(fields);
      var place = [optionText(form.elements.compound), optionText(form.elements.building), fields.place_text]
        .filter(function (part) {
          return part;
        })
        .join(" ");
      var file = form.elements.photo && form.elements.photo.files[0];
      shrink(file).then(function (photo) {
        var record = newRecord("finding", id, fields, { photo: photo, photoName: file ? file.name.replace(/\.[^.]*$/, "") + ".jpg" : "", place: place });
        if (photo && file && photo === file) {
          record.photoName = file.name;
        }
        save(record).then(function () {
          finishForm(form, text("saved_here"));
          narrowBuildings();
        });
      });
    });
  }

  if (forms.patrol_end) {
    forms.patrol_end.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = forms.patrol_end;
      var patrol = currentPatrol();
      if (!patrol) {
        return;
      }
      var fields = formFields(form);
      var id = uuid();
      fields.client_id = id;
      fields.patrol = patrol.id;
      fields.recorded_at = new Date().toISOString();
      positionFields(fields);
      keepPoint();
      lastEnded = { id: patrol.id, url: patrol.url };
      save(newRecord("patrol_end", id, fields)).then(function () {
        finishForm(form, text("saved_here"));
      });
    });
  }

  // The visit form: the residents of the chosen household to tick.
  function renderResidents() {
    var form = forms.visit;
    var holder = form.querySelector("[data-field-residents-list]");
    holder.replaceChildren();
    var household = DATA.households[form.elements.household.value];
    if (!household) {
      holder.appendChild(element("p", "small text-body-secondary mb-0", text("choose_household")));
      return;
    }
    if (!household.residents.length) {
      holder.appendChild(element("p", "small text-body-secondary mb-0", text("no_residents")));
    }
    household.residents.forEach(function (resident) {
      var line = element("div", "form-check");
      var box = element("input", "form-check-input");
      box.type = "checkbox";
      box.name = "residents_seen";
      box.value = String(resident.id);
      box.id = "visit_resident_" + resident.id;
      var label = element("label", "form-check-label", resident.name + (resident.special ? "（" + text("special") + "）" : ""));
      label.htmlFor = box.id;
      line.appendChild(box);
      line.appendChild(label);
      holder.appendChild(line);
    });
  }

  if (forms.visit) {
    forms.visit.elements.household.addEventListener("change", renderResidents);
    forms.visit.addEventListener("focusin", watchPosition, { once: true });
    forms.visit.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = forms.visit;
      clearErrors(form);
      var fields = formFields(form);
      if (!fields.household) {
        showError(form, "household", text("need_household"));
        return;
      }
      if (fields.need_found && !fields.findings.trim()) {
        showError(form, "findings", text("need_findings"));
        return;
      }
      var id = uuid();
      fields.client_id = id;
      fields.recorded_at = new Date().toISOString();
      positionFields(fields);
      var record = newRecord("visit", id, fields, { householdLabel: optionText(form.elements.household) });
      save(record).then(function () {
        finishForm(form, text("saved_here"));
        renderResidents();
      });
    });
  }

  // Buildings of the chosen compound only (each option names its compound in data-parent).
  var allBuildings = null;
  function narrowBuildings() {
    var form = forms.finding;
    if (!form || !form.elements.building) {
      return;
    }
    var compound = form.elements.compound.value;
    var select = form.elements.building;
    if (allBuildings === null) {
      allBuildings = Array.prototype.slice.call(select.options).map(function (o) {
        return o.cloneNode(true);
      });
    }
    var chosen = select.value;
    select.replaceChildren.apply(
      select,
      allBuildings
        .filter(function (o) {
          return !o.value || !compound || o.dataset.parent === compound;
        })
        .map(function (o) {
          return o.cloneNode(true);
        })
    );
    select.value = chosen;
    if (select.value !== chosen) {
      select.value = "";
    }
  }
  if (forms.finding && forms.finding.elements.compound) {
    forms.finding.elements.compound.addEventListener("change", narrowBuildings);
  }

  // Drafts: what is typed survives a reload until it is saved.
  var draftTimer = null;
  function keepDraft(form) {
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(function () {
      put("drafts", { form: form.getAttribute("data-field-form"), values: formFields(form) });
    }, 300);
  }
  function restoreDrafts() {
    return all("drafts").then(function (drafts) {
      drafts.forEach(function (draft) {
        var form = forms[draft.form];
        if (!form) {
          return;
        }
        Object.keys(draft.values).forEach(function (name) {
          var value = draft.values[name];
          var field = form.elements[name];
          if (!field || name === "residents_seen") {
            return;
          }
          if (field.type === "checkbox") {
            field.checked = value === "on";
          } else if (value) {
            field.value = value;
          }
        });
        if (draft.form === "finding") {
          narrowBuildings();
          var building = draft.values.building;
          if (building) {
            form.elements.building.value = building;
          }
        }
        if (draft.form === "visit" && form.elements.household.value) {
          renderResidents();
          (draft.values.residents_seen || []).forEach(function (value) {
            var box = form.querySelector('input[name="residents_seen"][value="' + value + '"]');
            if (box) {
              box.checked = true;
            }
          });
          form.closest("details").open = true;
        }
      });
    });
  }
  Object.keys(forms).forEach(function (name) {
    forms[name].addEventListener("input", function () {
      keepDraft(forms[name]);
    });
    forms[name].addEventListener("change", function () {
      keepDraft(forms[name]);
    });
  });

  // ------------------------------------------------------------------ sending

  var token = null;
  var syncing = false;
  var syncTimer = null;

  function scheduleSync(delay) {
    window.clearTimeout(syncTimer);
    syncTimer = window.setTimeout(sync, delay);
  }

  function signedOut(yes) {
    $("[data-field-signed-out]").hidden = !yes;
  }

  function answerOf(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      return { ok: false, status: response.status, json: false };
    }
    return response.json().then(function (body) {
      body.status = response.status;
      return body;
    });
  }

  // One sending to the server: its answer (answerOf), or a rejection without a connection.
  function post(body) {
    return fetch(URLS.sync, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    }).then(answerOf);
  }

  // Send one record; resolves true when sending must stop for now (no connection, signed
  // out, the server unwell), false to go on with the next record.
  function send(record) {
    var body = new FormData();
    body.append("op", record.op);
    Object.keys(record.fields).forEach(function (name) {
      var value = record.fields[name];
      if (Array.isArray(value)) {
        value.forEach(function (v) {
          body.append(name, v);
        });
      } else if (value !== undefined && value !== null) {
        body.append(name, value);
      }
    });
    if (record.photo) {
      body.append("photo", record.photo, record.photoName || "photo.jpg");
    }
    record.state = "sending";
    renderOutbox();
    return post(body)
      .then(function (answer) {
        if (answer.ok) {
          record.state = "sent";
          record.error = "";
          record.note = "";
          record.answer = answer;
          record.sentAt = new Date().toISOString();
          if (record.op === "patrol_end" && lastEnded && lastEnded.id === record.fields.patrol) {
            lastEnded.url = answer.url;
          }
          return save(record).then(function () {
            return false;
          });
        }
        if (answer.status === 401) {
          record.state = "waiting";
          signedOut(true);
          return true;
        }
        if (answer.permanent) {
          record.state = "failed";
          record.error = answer.error;
          return save(record).then(function () {
            return false;
          });
        }
        // A refused token (403 without JSON) or a server error: try again later.
        record.state = "waiting";
        record.note = text("server_busy");
        if (answer.status === 403) {
          token = null;
        }
        return save(record).then(function () {
          return true;
        });
      })
      .catch(function () {
        record.state = "waiting";
        return true;
      });
  }

  function sendRecords() {
    var waiting = records.filter(function (r) {
      return r.state === "waiting";
    });
    return waiting.reduce(function (chain, record) {
      return chain.then(function (stop) {
        return stop ? true : send(record);
      });
    }, Promise.resolve(false));
  }

  // Route points, in batches, for patrols the server knows.
  function sendTrack() {
    return all("track").then(function (points) {
      var byPatrol = {};
      points.forEach(function (p) {
        (byPatrol[p.patrol] = byPatrol[p.patrol] || []).push(p);
      });
      var known = function (id) {
        return (
          DATA.running.some(function (p) {
            return p.client_id === id;
          }) ||
          records.some(function (r) {
            return r.op === "patrol_start" && r.id === id && r.state === "sent";
          })
        );
      };
      // A patrol whose start was refused or discarded: its points have nowhere to go.
      var orphan = function (id) {
        return !records.some(function (r) {
          return r.op === "patrol_start" && r.id === id && r.state !== "failed";
        }) && !DATA.running.some(function (p) {
          return p.client_id === id;
        });
      };
      return Object.keys(byPatrol).reduce(function (chain, patrol) {
        return chain.then(function (stop) {
          if (stop || !known(patrol)) {
            if (!stop && orphan(patrol)) {
              return Promise.all(byPatrol[patrol].map(function (p) { return remove("track", p.key); })).then(function () {
                pendingPoints -= byPatrol[patrol].length;
                return false;
              });
            }
            return stop;
          }
          var batch = byPatrol[patrol].slice(0, TRACK_BATCH);
          var body = new FormData();
          body.append("op", "track");
          body.append("patrol", patrol);
          body.append(
            "points",
            JSON.stringify(
              batch.map(function (p) {
                return { t: p.t, lat: p.lat, lng: p.lng, acc: p.acc };
              })
            )
          );
          return post(body)
            .then(function (answer) {
              if (!answer.ok && !answer.permanent) {
                return true;
              }
              return Promise.all(
                batch.map(function (p) {
                  return remove("track", p.key);
                })
              ).then(function () {
                pendingPoints -= batch.length;
                return byPatrol[patrol].length > TRACK_BATCH;
              });
            })
            .catch(function () {
              return true;
            });
        });
      }, Promise.resolve(false));
    });
  }

  var syncAgain = false;
  var retryDelay = 3000;

  function sync() {
    if (syncing) {
      // Recorded while sending: sent as soon as this round ends.
      syncAgain = true;
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      return Promise.resolve();
    }
    var anything = pendingPoints > 0 || records.some(function (r) { return r.state === "waiting"; });
    if (!anything) {
      return Promise.resolve();
    }
    syncing = true;
    return fetch(URLS.session, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answerOf)
      .then(function (session) {
        if (session.status === 401) {
          signedOut(true);
          return true;
        }
        if (!session.ok || session.user !== DATA.user) {
          return true;
        }
        signedOut(false);
        token = session.csrf;
        return sendRecords().then(function (stopped) {
          return stopped ? true : sendTrack();
        });
      })
      .catch(function () {
        return true;
      })
      .then(function (stopped) {
        syncing = false;
        render();
        var more = records.some(function (r) { return r.state === "waiting"; }) || pendingPoints > 0;
        if (syncAgain && !stopped) {
          syncAgain = false;
          sync();
        } else if (more) {
          // Tried again soon after a failure (a connection just back is often not ready
          // for a few seconds), then less and less often.
          syncAgain = false;
          scheduleSync(retryDelay);
          retryDelay = Math.min(retryDelay * 2, 60000);
        }
        if (!stopped) {
          retryDelay = 3000;
        }
      });
  }

  $("[data-field-send]").addEventListener("click", function () {
    records.forEach(function (r) {
      if (r.state === "waiting") {
        r.note = "";
      }
    });
    sync();
  });
  window.addEventListener("online", function () {
    renderNetwork();
    sync();
  });
  window.addEventListener("offline", renderNetwork);

  // ------------------------------------------------------------------ installing

  function offlineReady() {
    $("[data-field-offline-ready]").hidden = false;
    root.setAttribute("data-offline-ready", "1");
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(URLS.worker, { scope: URLS.scope })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(offlineReady)
      .catch(function () {});
  }

  renderNetwork();
  load()
    .then(restoreDrafts)
    .then(function () {
      render();
      narrowBuildings();
      root.setAttribute("data-field-ready", "1");
      sync();
    });
})();
