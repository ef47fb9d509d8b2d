// The cashier's countdown: real milliseconds left are in #countdown's data-ms.
(function () {
  var e = document.getElementById('countdown');
  if (!e) return;
  var end = Date.now() + Number(e.dataset.ms);
  function f() {
    var s = Math.max(0, Math.floor((end - Date.now()) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
    e.textContent = (h ? h + '小时' : '') + m + '分' + x + '秒';
    if (s > 0) setTimeout(f, 1000);
  }
  f();
})();
