// Pass cards (出入证) at the gate: the phone's camera (or a photo of the card) reads the card's QR code, the server
// answers with the household's members (masked), when the card was last used and the outing-limit warning; one tap
// on a member picks them for this pass. A revoked card is refused by the server and shown in red.
(function () {
    "use strict";
    var gate = window.epigrid && window.epigrid.gate;
    var $ = function (id) { return document.getElementById(id); };
    if (!gate || !$("card-scan")) { return; }
    var box = $("card-box"), readerBox = $("card-reader-box");
    var reader = null, running = false;

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        return e;
    }
    function clear() { box.textContent = ""; box.classList.add("d-none"); }
    function fmt(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }

    function show(hit) {
        clear();
        box.classList.remove("d-none");
        var head = el("div", "alert alert-primary py-2 mb-1");
        head.appendChild(el("strong", "", "出入证 " + hit.number + "　" + hit.home));
        head.appendChild(el("div", "small", hit.lastUsedAt ? "上次使用：" + fmt(hit.lastUsedAt) : "尚未使用过"));
        box.appendChild(head);
        if (hit.warning) {
            var warn = el("div", "alert alert-warning py-2 mb-1 card-warning");
            warn.appendChild(el("i", "bi bi-exclamation-triangle-fill me-1"));
            warn.appendChild(document.createTextNode(hit.warning + "。是否放行由值守人决定。"));
            box.appendChild(warn);
        }
        var list = el("div", "list-group");
        hit.members.forEach(function (m) {
            var b = el("button", "list-group-item list-group-item-action card-member" + (m.underQuarantine ? " list-group-item-danger" : ""));
            b.type = "button";
            b.textContent = m.name + "　" + (m.relation || "") + "　" + (m.idNumberMasked || "") + (m.underQuarantine ? "　【观察/隔离中】" : "");
            b.addEventListener("click", function () {
                gate.chooseResident({ id: m.id, name: m.name, home: hit.home, idNumberMasked: m.idNumberMasked, phoneMasked: m.phoneMasked, underQuarantine: m.underQuarantine },
                    { cardId: hit.cardId, number: hit.number });
                list.querySelectorAll(".card-member").forEach(function (x) { x.classList.toggle("active", x === b); });
            });
            list.appendChild(b);
        });
        box.appendChild(list);
    }

    function refused(text) {
        clear();
        box.classList.remove("d-none");
        var r = el("div", "alert alert-danger py-2 mb-1 card-refused");
        r.appendChild(el("i", "bi bi-x-octagon-fill me-1"));
        r.appendChild(document.createTextNode(text));
        box.appendChild(r);
    }

    /** Looks a scanned text up; exposed for the photo path and for a typed card token. */
    function use(text) {
        stop();
        return window.epigrid.api("/api/gates/" + encodeURIComponent(gate.gateId) + "/card-scans", { method: "POST", body: JSON.stringify({ token: text }) })
            .then(function (r) {
                return r.json().catch(function () { return {}; }).then(function (body) {
                    if (r.ok) { show(body); }
                    else if (r.status === 409) { refused(body.detail || "出入证已注销，不能通行"); }
                    else if (r.status === 404) { refused("不是本小区的出入证，或二维码无法识别"); }
                    else { refused("读取出入证失败（" + r.status + "）"); }
                });
            }, function () { refused("网络断开：无法核验出入证，请按姓名/房号查找居民"); });
    }

    function stop() {
        readerBox.classList.add("d-none");
        if (reader && running) {
            running = false;
            reader.stop().catch(function () { /* already stopped */ });
        }
    }

    function ensureReader() {
        if (!reader && window.Html5Qrcode) { reader = new window.Html5Qrcode("card-reader", { verbose: false }); }
        return reader;
    }

    $("card-scan").addEventListener("click", function () {
        readerBox.classList.remove("d-none");
        clear();
        if (!window.isSecureContext) {
            refused("摄像头需要安全连接（HTTPS）。请用拍照识别，或按姓名/房号查找。");
            return;
        }
        if (!ensureReader() || running) { return; }
        reader.start({ facingMode: "environment" }, { fps: 10, qrbox: 220 }, function (text) { use(text); }, function () { /* no code in this frame */ })
            .then(function () { running = true; })
            .catch(function () { gate.say("warning", "无法打开摄像头：请允许使用摄像头，或点“拍照识别”。"); });
    });
    $("card-scan-stop").addEventListener("click", stop);
    // A photo of a card. html5-qrcode's decoder (ZXing) cannot find some perfectly sharp codes at any scale or turn
    // (about 1 of our own printed cards in 100), so a photo it misses goes to a second decoder, jsQR, at two sizes.
    // html5-qrcode draws into an off-screen box wider than the card image, so it is not scaled down first.
    var decoder = null;
    function decodeWithJsQr(file) {
        return new Promise(function (resolve, reject) {
            var url = URL.createObjectURL(file), img = new Image();
            img.onload = function () {
                URL.revokeObjectURL(url);
                var base = Math.min(img.naturalWidth, 1200), found = null;
                [base, base * 0.6].some(function (width) {
                    var scale = width / img.naturalWidth, c = document.createElement("canvas");
                    c.width = Math.max(1, Math.round(img.naturalWidth * scale));
                    c.height = Math.max(1, Math.round(img.naturalHeight * scale));
                    var g = c.getContext("2d", { willReadFrequently: true });
                    g.fillStyle = "#fff";
                    g.fillRect(0, 0, c.width, c.height);
                    g.drawImage(img, 0, 0, c.width, c.height);
                    var code = window.jsQR(g.getImageData(0, 0, c.width, c.height).data, c.width, c.height, { inversionAttempts: "attemptBoth" });
                    found = code && code.data ? code.data : null;
                    return found !== null;
                });
                if (found !== null) { resolve(found); } else { reject(new Error("no QR code")); }
            };
            img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
            img.src = url;
        });
    }
    function scanPhoto(file) {
        if (!decoder) {
            var decodeBox = el("div", "card-decode");
            decodeBox.id = "card-decode";
            document.body.appendChild(decodeBox);
            decoder = new window.Html5Qrcode("card-decode", { verbose: false, formatsToSupport: [window.Html5QrcodeSupportedFormats.QR_CODE] });
        }
        return decoder.scanFile(file, false).catch(function () {
            return window.jsQR ? decodeWithJsQr(file) : Promise.reject(new Error("no QR code"));
        });
    }

    $("card-photo").addEventListener("change", function (e) {
        var f = e.target.files && e.target.files[0];
        if (!f || !ensureReader()) { return; }
        var go = function () {
            scanPhoto(f).then(use, function () { refused("照片中没有识别到二维码，请对准出入证重拍"); })
                .then(function () { e.target.value = ""; });
        };
        if (running) { running = false; reader.stop().then(go, go); } else { go(); }
    });

    gate.onReset(function () { clear(); stop(); });
    window.epigrid.gateCards = { use: use, scanPhoto: scanPhoto };
})();
