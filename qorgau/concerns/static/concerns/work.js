// The public form's proof of work (see qorgau/concerns/challenge.py): find a number whose
// SHA-256 with the challenge starts with `bits` zero bits, then the question need not be answered.
// No third-party code; without JavaScript or Web Crypto the question stays.
(function () {
  "use strict";
  var box = document.querySelector(".challenge[data-challenge]");
  if (!box || !window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    return;
  }
  var token = box.getAttribute("data-challenge");
  var bits = parseInt(box.getAttribute("data-bits"), 10);
  var work = box.querySelector('input[name="work"]');
  var answer = box.querySelector('input[name="answer"]');
  var status = box.querySelector(".challenge-status");
  var form = box.closest("form");
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      for (var mask = 0x80; mask && !(bytes[i] & mask); mask >>= 1) { count += 1; }
      break;
    }
    return count;
  }

  async function solve() {
    for (var n = 0; n < 1 << 30; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + n));
      if (zeroBits(new Uint8Array(digest)) >= bits) { return n; }
    }
    return null;
  }

  var solved = solve().then(function (n) {
    if (n === null) { return false; }
    work.value = String(n);
    box.querySelectorAll("label, .help:not(.challenge-status), input[name='answer'], .error")
      .forEach(function (el) { el.hidden = true; });
    status.textContent = box.getAttribute("data-done");
    return true;
  });

  form.addEventListener("submit", function (event) {
    if (work.value || answer.value.trim()) { return; }
    event.preventDefault();
    status.textContent = box.getAttribute("data-waiting");
    solved.then(function (ok) { if (ok) { form.submit(); } else { answer.focus(); } });
  });
})();
