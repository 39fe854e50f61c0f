// Passkeys (WebAuthn) for the second-factor pages: registration and log-in.
// A static file, no inline script, so a strict Content-Security-Policy holds. Each
// [data-passkey-action] block names the JSON endpoints; the server keeps the challenge in the session.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response
        .json()
        .catch(function () { return {}; })
        .then(function (data) {
          if (!response.ok) throw new Error(data.detail || response.statusText);
          return data;
        });
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: options };
  }

  function registrationJSON(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function assertionJSON(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function withNext(url, next) {
    return next ? url + "?next=" + encodeURIComponent(next) : url;
  }

  function start(block) {
    var status = block.querySelector("[data-passkey-status]");
    var button = block.querySelector("[data-passkey-start]");
    var action = block.dataset.passkeyAction;
    var next = block.dataset.next || "";
    function say(text) { status.textContent = text; }
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(block.dataset.unsupported);
      return;
    }
    button.disabled = true;
    say("");
    post(block.dataset.optionsUrl)
      .then(function (options) {
        if (action === "register") return navigator.credentials.create(creationOptions(options));
        return navigator.credentials.get(requestOptions(options));
      })
      .then(function (credential) {
        if (!credential) throw new Error(block.dataset.cancelled);
        var body =
          action === "register"
            ? { credential: registrationJSON(credential) }
            : { credential: assertionJSON(credential), purpose: block.dataset.purpose || "login" };
        return post(withNext(block.dataset.url, next), body);
      })
      .then(function (data) {
        window.location.assign(data.redirect || next || "/");
      })
      .catch(function (error) {
        button.disabled = false;
        var cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
        say(cancelled ? block.dataset.cancelled : (error && error.message) || block.dataset.failed);
      });
  }

  document.querySelectorAll("[data-passkey-action]").forEach(function (block) {
    var button = block.querySelector("[data-passkey-start]");
    if (button) button.addEventListener("click", function () { start(block); });
  });
})();
