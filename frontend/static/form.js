// Talap claim form: progressive enhancement only. Every page works without this script; it adds
// upload progress, a live deadline hint and a guard against submitting a form twice.
// No inline handlers: the Content-Security-Policy allows scripts from this origin only.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers and keyboard users start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Double-click guard: a form is sent once; its buttons show that it is busy.
  function guard(form) {
    form.addEventListener("submit", function (e) {
      if (form.dataset.sending === "1") {
        e.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      // Disable after the browser has taken the clicked button's name and value.
      window.setTimeout(function () {
        var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
        for (var i = 0; i < buttons.length; i++) {
          buttons[i].disabled = true;
          buttons[i].setAttribute("aria-disabled", "true");
        }
      }, 0);
    });
  }
  var once = document.querySelectorAll("form[data-once]:not([data-upload])");
  for (var i = 0; i < once.length; i++) {
    guard(once[i]);
  }

  // Pre-trial dates belong to the "I complained" answer: show them only with it.
  var reveals = document.querySelectorAll("[data-reveals]");
  if (reveals.length) {
    var radios = document.querySelectorAll("input[type=radio][name=pretrial]");
    var sync = function () {
      for (var j = 0; j < reveals.length; j++) {
        var target = document.getElementById(reveals[j].getAttribute("data-reveals"));
        if (target) {
          target.hidden = !reveals[j].checked && !target.querySelector(".field-error");
          // aria-expanded is not allowed on a radio button; aria-controls ties it to what it shows.
          reveals[j].setAttribute("aria-controls", target.id);
        }
      }
    };
    for (var r = 0; r < radios.length; r++) {
      radios[r].addEventListener("change", sync);
    }
    sync();
  }

  // Live deadline hint: ask the server (which saves nothing) as dates are typed.
  var dlForm = document.querySelector("form[data-deadline-url]");
  var panel = document.querySelector("[data-deadline-panel]");
  if (dlForm && panel) {
    var timer = null;
    var seq = 0;
    var refresh = function () {
      var params = new URLSearchParams();
      var els = dlForm.elements;
      for (var k = 0; k < els.length; k++) {
        var el = els[k];
        if (!el.name || el.name === "_csrf" || el.name === "from") continue;
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
        params.append(el.name, el.value);
      }
      var mine = ++seq;
      var xhr = new XMLHttpRequest();
      xhr.open("GET", dlForm.getAttribute("data-deadline-url") + "&" + params.toString());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        if (mine !== seq || xhr.status !== 200) return;
        var d;
        try { d = JSON.parse(xhr.responseText); } catch (err) { return; }
        if (!d || !d.level) {
          panel.hidden = true;
          return;
        }
        panel.className = "deadline deadline-" + d.level;
        panel.querySelector("[data-deadline-heading]").textContent = d.heading || "";
        panel.querySelector("[data-deadline-text]").textContent = d.text || "";
        var advice = panel.querySelector("[data-deadline-advice]");
        advice.textContent = d.advice || "";
        advice.hidden = !d.advice;
        var note = panel.querySelector("[data-deadline-note]");
        note.textContent = d.note || "";
        note.hidden = !d.note;
        panel.hidden = false;
      };
      xhr.send();
    };
    var schedule = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    };
    var inputs = dlForm.querySelectorAll("[data-deadline]");
    for (var m = 0; m < inputs.length; m++) {
      inputs[m].addEventListener("change", schedule);
      inputs[m].addEventListener("input", schedule);
    }
  }

  // Uploads with a progress bar, straight to the API; errors are shown beside the file field.
  var up = document.querySelector("form[data-upload]");
  if (up && window.FormData && window.XMLHttpRequest) {
    var fileInput = up.querySelector("input[type=file]");
    var progress = up.querySelector("[data-upload-progress]");
    var bar = progress.querySelector("progress");
    var percent = progress.querySelector("[data-upload-percent]");
    var errBox = up.querySelector("[data-upload-error]");
    var errText = up.querySelector("[data-upload-error-text]");
    var group = up.querySelector("[data-file-group]");
    var button = up.querySelector("button[type=submit]");
    var busy = false;

    var showError = function (msg) {
      errText.textContent = msg;
      errBox.hidden = false;
      group.classList.add("form-group-error");
      fileInput.setAttribute("aria-describedby", "h-file e-file");
      progress.hidden = true;
      busy = false;
      button.disabled = false;
      fileInput.focus();
    };

    up.addEventListener("submit", function (e) {
      e.preventDefault();
      if (busy) return;
      if (!fileInput.files || fileInput.files.length === 0) {
        showError(up.getAttribute("data-msg-choose") || "");
        return;
      }
      busy = true;
      button.disabled = true;
      errBox.hidden = true;
      group.classList.remove("form-group-error");
      var data = new FormData();
      data.append("kind", up.querySelector("select[name=kind]").value);
      for (var f = 0; f < fileInput.files.length; f++) {
        data.append("file", fileInput.files[f], fileInput.files[f].name);
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", up.getAttribute("data-upload"));
      xhr.setRequestHeader("X-CSRF-Token", up.getAttribute("data-csrf"));
      xhr.setRequestHeader("Accept", "application/json");
      bar.value = 0;
      percent.textContent = "0%";
      progress.hidden = false;
      var lastSaid = -1;
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable) return;
        var p = Math.floor((ev.loaded / ev.total) * 100);
        bar.value = p;
        // Announce in steps of 10 so a screen reader is not flooded.
        if (p === 100 || p - lastSaid >= 10) {
          percent.textContent = p + "%";
          lastSaid = p;
        }
      });
      xhr.onload = function () {
        if (xhr.status === 201) {
          bar.value = 100;
          percent.textContent = "100%";
          // Reload the page so the documents list shows the new files with their hashes. After an
          // earlier upload the address is already this one, and replacing it would only move to
          // the #documents anchor without loading the list again: reload instead.
          var u = new URL(window.location.href);
          u.searchParams.set("added", "1");
          u.searchParams.delete("kind");
          u.hash = "documents";
          var here = new URL(window.location.href);
          here.hash = "documents";
          if (u.toString() === here.toString()) {
            window.location.reload();
          } else {
            window.location.replace(u.toString());
          }
          return;
        }
        var msg = "";
        try {
          var body = JSON.parse(xhr.responseText);
          if (body && body.error) {
            msg = body.error.message || "";
            if (body.error.fields) {
              var parts = [];
              for (var key in body.error.fields) {
                if (Object.prototype.hasOwnProperty.call(body.error.fields, key)) parts.push(body.error.fields[key]);
              }
              if (parts.length) msg = parts.join(" ");
            }
          }
        } catch (err) { /* not JSON */ }
        showError(msg || up.getAttribute("data-msg-network") || "");
      };
      xhr.onerror = function () {
        showError(up.getAttribute("data-msg-network") || "");
      };
      xhr.send(data);
    });
  }
})();
