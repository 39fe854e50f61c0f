/* The counter clerks' card verifier (cards/offline.py describes the signed code).
   Verifies the COSE_Sign1 payload of a card's QR code with the published Ed25519 keys (WebCrypto),
   checks it against the signed revocation list, and, when the network is there, asks the portal for
   the card's current status. Works offline once loaded: a service worker keeps the page, this
   script, the key set and the list. No inline script: its settings come from a JSON data block. */
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("verifier-config").textContent);
  const texts = config.texts;
  const form = document.getElementById("verifier-form");
  const field = form.querySelector("textarea");
  const result = document.getElementById("verifier-result");
  const readiness = document.getElementById("verifier-readiness");
  const listLine = document.getElementById("verifier-list");
  const scanButton = document.getElementById("verifier-scan");
  const video = document.getElementById("verifier-camera");

  // --- CBOR (RFC 8949), the subset the portal writes ----------------------------------------------
  class NotVerifiable extends Error {}

  function decodeCbor(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    let pos = 0;
    function need(n) {
      if (pos + n > bytes.length) throw new NotVerifiable("truncated");
    }
    function argument(info) {
      if (info < 24) return info;
      if (info === 24) { need(1); return view.getUint8(pos++); }
      if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return v; }
      if (info === 26) { need(4); const v = view.getUint32(pos); pos += 4; return v; }
      if (info === 27) {
        // Above 2^53 a Number loses digits: the revocation list's packed card numbers are BigInts.
        need(8);
        const v = view.getBigUint64(pos);
        pos += 8;
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      throw new NotVerifiable("unsupported length");
    }
    function item(depth) {
      if (depth > 8) throw new NotVerifiable("too deep");
      need(1);
      const first = bytes[pos++];
      const major = first >> 5;
      const info = first & 31;
      if (major === 7) {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw new NotVerifiable("unsupported simple value");
      }
      const n = argument(info);
      if (major === 0) return n;
      if (typeof n === "bigint") throw new NotVerifiable("length too large");
      if (major === 1) return -1 - n;
      if (major === 2 || major === 3) {
        need(n);
        const chunk = bytes.subarray(pos, pos + n);
        pos += n;
        return major === 2 ? chunk : utf8.decode(chunk);
      }
      if (major === 4) {
        const array = [];
        for (let i = 0; i < n; i++) array.push(item(depth + 1));
        return array;
      }
      if (major === 5) {
        const map = new Map();
        for (let i = 0; i < n; i++) map.set(item(depth + 1), item(depth + 1));
        return map;
      }
      return { tag: n, value: item(depth + 1) };
    }
    try {
      const value = item(0);
      if (pos !== bytes.length) throw new NotVerifiable("trailing bytes");
      return value;
    } catch (error) {
      throw error instanceof NotVerifiable ? error : new NotVerifiable(String(error));
    }
  }

  function head(major, n) {
    if (n < 24) return [(major << 5) | n];
    if (n < 256) return [(major << 5) | 24, n];
    if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
    return [(major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function concat(parts) {
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  }

  // COSE Sig_structure: ["Signature1", protected, external_aad (empty), payload].
  function sigStructure(protectedBytes, payload) {
    const context = new TextEncoder().encode("Signature1");
    return concat([
      Uint8Array.of(0x84),
      Uint8Array.from(head(3, context.length)), context,
      Uint8Array.from(head(2, protectedBytes.length)), protectedBytes,
      Uint8Array.of(0x40),
      Uint8Array.from(head(2, payload.length)), payload,
    ]);
  }

  function fromBase64url(text) {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new NotVerifiable("not base64url");
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    let binary;
    try { binary = atob(padded); } catch (error) { throw new NotVerifiable("not base64url"); }
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  // --- keys, signatures, the revocation list ------------------------------------------------------
  let keysPromise = null;
  function loadKeys() {
    if (!keysPromise) {
      keysPromise = fetch(config.keys, { headers: { Accept: "application/json" } })
        .then((response) => { if (!response.ok) throw new Error("keys"); return response.json(); })
        .then(async (set) => {
          const keys = new Map();
          for (const jwk of set.keys || []) {
            if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519") continue;
            const key = await crypto.subtle.importKey(
              "jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]
            );
            keys.set(jwk.kid, key);
          }
          return keys;
        })
        .catch((error) => { keysPromise = null; throw error; });
    }
    return keysPromise;
  }

  async function openSigned(bytes) {
    const keys = await loadKeys();
    let message = decodeCbor(bytes);
    if (message && message.tag !== undefined) {
      if (message.tag !== 18) throw new NotVerifiable("not COSE_Sign1");
      message = message.value;
    }
    if (!Array.isArray(message) || message.length !== 4) throw new NotVerifiable("not COSE_Sign1");
    const [protectedBytes, , payload, signature] = message;
    if (![protectedBytes, payload, signature].every((part) => part instanceof Uint8Array)) {
      throw new NotVerifiable("not COSE_Sign1");
    }
    const header = decodeCbor(protectedBytes);
    if (!(header instanceof Map) || header.get(1) !== -8 || !(header.get(4) instanceof Uint8Array)) {
      throw new NotVerifiable("bad header");
    }
    const key = keys.get(new TextDecoder().decode(header.get(4)));
    if (!key) throw new NotVerifiable("unknown key");
    const good = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, sigStructure(protectedBytes, payload));
    if (!good) throw new NotVerifiable("bad signature");
    const body = decodeCbor(payload);
    if (!(body instanceof Map)) throw new NotVerifiable("bad payload");
    return body;
  }

  // cards/offline.py pack_number: 17 digits times 11 plus the check character's index.
  function unpackNumber(value) {
    if (typeof value === "string") return value;
    const packed = BigInt(value);
    return String(packed / 11n).padStart(17, "0") + "0123456789X"[Number(packed % 11n)];
  }

  let revocations = null;
  async function loadRevocations() {
    try {
      const response = await fetch(config.revocations);
      if (!response.ok) throw new Error("list");
      const body = await openSigned(new Uint8Array(await response.arrayBuffer()));
      revocations = {
        issuedAt: new Date(body.get(1) * 1000),
        nextUpdate: new Date(body.get(2) * 1000),
        revoked: new Set((body.get(3) || []).map(unpackNumber)),
        replaced: new Set((body.get(4) || []).map(unpackNumber)),
      };
    } catch (error) {
      // Keep the list already loaded, if any: an old list is better than none.
    }
    showList();
    return revocations;
  }

  function when(date) {
    return date.toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function showList() {
    if (!revocations) { listLine.textContent = texts.no_list; return; }
    listLine.textContent = texts.list_issued
      .replace("%(date)s", when(revocations.issuedAt))
      .replace("%(next)s", when(revocations.nextUpdate));
  }

  function isoDay(value) {
    if (typeof value !== "number") throw new NotVerifiable("bad date");
    const text = String(value).padStart(8, "0");
    return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  }

  function tokenFrom(text) {
    let token = text.trim();
    const marker = "/cards/verify/";
    if (token.includes(marker)) token = token.split(marker)[1].split(/[/?#]/)[0];
    return token;
  }

  async function cardFrom(token) {
    const body = await openSigned(fromBase64url(token));
    const card = {
      number: body.get(1),
      latinName: body.get(2),
      chineseName: body.get(3) || "",
      birthDate: isoDay(body.get(4)),
      expiresOn: isoDay(body.get(6)),
    };
    if (typeof card.number !== "string" || typeof card.latinName !== "string") throw new NotVerifiable("bad payload");
    return card;
  }

  function offlineStatus(card) {
    if (revocations && revocations.revoked.has(card.number)) return "revoked";
    if (revocations && revocations.replaced.has(card.number)) return "replaced";
    const today = new Date().toISOString().slice(0, 10);
    return today > card.expiresOn ? "expired" : "valid";
  }

  async function onlineStatus(token) {
    if (!navigator.onLine) return null;
    try {
      const response = await fetch(config.status, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ token }),
      });
      if (!response.ok) return null;
      return (await response.json()).status || null;
    } catch (error) {
      return null;
    }
  }

  // --- showing the answer -------------------------------------------------------------------------
  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(status, card, basis, text) {
    const badge = { valid: "ok", expired: "warn" }[status] || "bad";
    // data-code: which input this answer is about (the length and the last characters).
    const panel = element("div", {
      class: `panel verifier-answer verifier-${status}`,
      "data-code": `${text.length}:${text.slice(-12)}`,
    });
    const heading = element("h2", { class: "verify-status" });
    heading.append(element("span", { class: `badge ${badge}` }, texts[status]));
    panel.append(heading);
    if (card) {
      const facts = element("dl", { class: "facts" });
      const name = card.chineseName ? `${card.latinName} ${card.chineseName}` : card.latinName;
      for (const [label, value] of [
        [texts.name, name], [texts.birth_date, card.birthDate],
        [texts.valid_until, card.expiresOn], [texts.card_number, card.number],
      ]) {
        facts.append(element("dt", {}, label), element("dd", {}, value));
      }
      panel.append(facts, element("p", {}, texts.compare_photo));
    } else {
      panel.append(element("p", {}, texts.not_verifiable_detail));
    }
    if (basis) panel.append(element("p", { class: "meta" }, basis));
    result.replaceChildren(panel);
  }

  async function verify(text) {
    result.replaceChildren();
    const token = tokenFrom(text);
    if (!token) { show("not_verifiable", null, texts.empty, text); return; }
    let card;
    try {
      card = await cardFrom(token);
    } catch (error) {
      show("not_verifiable", null, error instanceof NotVerifiable ? "" : texts.no_crypto, text);
      return;
    }
    const online = await onlineStatus(token);
    if (online) {
      show(online === "issued" ? "valid" : online, card, texts.checked_online, text);
      return;
    }
    if (!revocations) await loadRevocations();
    let basis = texts.no_list;
    if (revocations) {
      basis = revocations.nextUpdate < new Date()
        ? texts.list_stale.replace("%(date)s", when(revocations.nextUpdate))
        : texts.checked_offline.replace("%(date)s", when(revocations.issuedAt));
    }
    show(offlineStatus(card), card, basis, text);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    verify(field.value);
  });

  // --- the camera (where the browser has a QR detector) -------------------------------------------
  let stream = null;
  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    scanButton.textContent = texts.scan;
  }

  if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanButton.hidden = false;
    scanButton.addEventListener("click", async () => {
      if (stream) { stopCamera(); return; }
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        video.srcObject = stream;
        video.hidden = false;
        scanButton.textContent = texts.stop;
        await video.play();
        const look = async () => {
          if (!stream) return;
          const codes = await detector.detect(video).catch(() => []);
          if (codes.length) {
            field.value = codes[0].rawValue;
            stopCamera();
            verify(field.value);
          } else {
            requestAnimationFrame(look);
          }
        };
        look();
      } catch (error) {
        stopCamera();
        readiness.textContent = texts.camera_failed;
      }
    });
  }

  // --- offline readiness --------------------------------------------------------------------------
  async function keepForOffline() {
    if (!("serviceWorker" in navigator)) { readiness.textContent = texts.not_ready; return; }
    try {
      await navigator.serviceWorker.register(config.worker, { scope: config.scope });
      const registration = await navigator.serviceWorker.ready;
      const urls = [location.href.split("?")[0]].concat(
        performance.getEntriesByType("resource").map((entry) => entry.name)
      );
      await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = resolve;
        registration.active.postMessage({ cache: urls }, [channel.port2]);
      });
      readiness.textContent = texts.ready;
      document.documentElement.dataset.verifierOffline = "ready";
    } catch (error) {
      readiness.textContent = texts.not_ready;
    }
  }

  loadKeys().catch(() => null);
  loadRevocations();
  keepForOffline();
  // A verifier left open all day still takes a new list every hour it has a network.
  setInterval(() => { if (navigator.onLine) loadRevocations(); }, 60 * 60 * 1000);
})();
