// sw-register.js: registers the service worker (/sw.js) that keeps the pages
// a person has read available offline, and shows the "offline copy" notice
// when the service worker served this page from its cache. The service worker
// marks such a page with data-offline-copy="<ISO date>" on <html>.
(function () {
  "use strict";
  // Notice text per interface language; {date} is replaced. A page may
  // provide its own translation in data-offline-text on <html>.
  var texts = {
    it: "Copia offline del {date}. Senza connessione: le informazioni potrebbero non essere aggiornate.",
    en: "Offline copy from {date}. You are not connected: this information may be out of date.",
    fr: "Copie hors ligne du {date}. Vous n'êtes pas connecté : ces informations peuvent ne pas être à jour.",
    es: "Copia sin conexión del {date}. No tienes conexión: esta información puede no estar actualizada.",
    ar: "نسخة محفوظة بدون اتصال من {date}. أنت غير متصل بالإنترنت: قد لا تكون هذه المعلومات محدّثة.",
    zh: "离线副本（{date}）。您目前没有联网：这些信息可能不是最新的。",
    uk: "Офлайн-копія від {date}. Немає з'єднання: інформація може бути застарілою.",
    ro: "Copie offline din {date}. Nu ești conectat: informațiile pot fi neactualizate.",
    sq: "Kopje jashtë linje nga {date}. Nuk jeni të lidhur: informacioni mund të mos jetë i përditësuar.",
    bn: "{date} তারিখের অফলাইন কপি। আপনি ইন্টারনেটে সংযুক্ত নন: এই তথ্য হালনাগাদ না-ও হতে পারে।",
    ur: "{date} کی آف لائن کاپی۔ آپ انٹرنیٹ سے منسلک نہیں ہیں: یہ معلومات پرانی ہو سکتی ہیں۔"
  };

  function showOfflineNotice() {
    var root = document.documentElement;
    var when = root.getAttribute("data-offline-copy");
    var main = document.getElementById("main");
    if (!when || !main || document.querySelector(".notice.offline")) return;
    var lang = (root.lang || "it").split("-")[0];
    var d = new Date(when);
    var date = when;
    if (!isNaN(d)) {
      try {
        date = d.toLocaleString(root.lang || undefined, { dateStyle: "long", timeStyle: "short" });
      } catch (e) {
        date = d.toISOString().slice(0, 10);
      }
    }
    var text = root.getAttribute("data-offline-text") || texts[lang] || texts.en;
    var p = document.createElement("p");
    p.className = "notice offline";
    p.setAttribute("role", "status");
    var t = document.createElement("time");
    t.dateTime = when;
    t.textContent = date;
    var parts = text.split("{date}");
    p.appendChild(document.createTextNode(parts[0]));
    p.appendChild(t);
    p.appendChild(document.createTextNode(parts.slice(1).join("{date}")));
    main.insertBefore(p, main.firstChild);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showOfflineNotice);
  else showOfflineNotice();

  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    var register = function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        // No service worker (private mode, old browser): the site works online.
      });
    };
    // After the page has loaded and the browser is idle: reading comes first.
    window.addEventListener("load", function () {
      if (window.requestIdleCallback) window.requestIdleCallback(register, { timeout: 3000 });
      else setTimeout(register, 200);
    });
  }
})();
