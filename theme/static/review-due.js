// 復習: how many items are due today, on the home page and 学習の記録
// (`{{#exercise-review-due}}`), with a link to the 復習 page. It reads what
// the exercises stored in this browser (`kenshu:<exercise id>:review`, a
// list of [key, due day, step]; see exercises/ui/src/review.rs) and counts
// only the keys of the items as built, so an item edited since is not
// counted. Days are counted as the exercises count them: days since
// 1970-01-01 in the learner's time zone. Works from file:// too.
(function () {
  "use strict";
  var hosts = document.querySelectorAll("[data-review-due]");
  if (!hosts.length) return;
  var d = new Date();
  var today = Math.floor((d.getTime() - d.getTimezoneOffset() * 60000) / 86400000);
  function stored(id) {
    try {
      var v = JSON.parse(window.localStorage.getItem("kenshu:" + id + ":review"));
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }
  hosts.forEach(function (host) {
    var data;
    try {
      data = JSON.parse(host.querySelector("script").textContent);
    } catch (e) {
      return;
    }
    var due = 0;
    var waiting = 0;
    var next = 0;
    Object.keys(data.keys || {}).forEach(function (id) {
      var keys = data.keys[id];
      stored(id).forEach(function (e) {
        if (!Array.isArray(e) || keys.indexOf(e[0]) < 0) return;
        if (e[1] <= today) {
          due += 1;
        } else {
          waiting += 1;
          if (!next || e[1] < next) next = e[1];
        }
      });
    });
    if (!due && !waiting) return;
    var p = document.createElement("span");
    var href = host.getAttribute("data-href");
    if (due) {
      p.textContent = "復習する問題が " + due + " 問あります。";
      if (href) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = "復習する";
        p.appendChild(a);
      }
    } else {
      var days = next - today;
      p.textContent =
        "今日復習する問題はありません（復習待ち " + waiting + " 問。次は" +
        (days === 1 ? "明日" : days + " 日後") + "）。";
    }
    host.appendChild(p);
    host.setAttribute("data-due", String(due));
    host.hidden = false;
  });
})();
