/* Letopis: writes the date of printing into the certification of an extract, at print time.
   A classic script without modules or network; without it the line stays blank to fill in by hand. */
(function () {
  var months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
    "сентября", "октября", "ноября", "декабря"];
  var monthsEn = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function two(n) { return n < 10 ? "0" + n : "" + n; }
  function today() {
    var d = new Date();
    if (document.documentElement.lang === "en") {
      return d.getDate() + " " + monthsEn[d.getMonth()] + " " + d.getFullYear();
    }
    return "«" + two(d.getDate()) + "» " + months[d.getMonth()] + " " + d.getFullYear() + " г.";
  }
  function fill() {
    if (!document.querySelectorAll) { return; }
    var spans = document.querySelectorAll(".print-date");
    var text = today();
    for (var i = 0; i < spans.length; i++) { spans[i].textContent = text; }
  }
  fill();
  if (window.addEventListener) { window.addEventListener("beforeprint", fill); }
}());
