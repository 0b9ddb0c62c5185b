<?php
if (!defined('IN_SITE')) { exit('Access Denied'); }
$banners = $db->fetch_all("SELECT id, title, pic FROM {$tablepre}banner WHERE status=1 ORDER BY sort LIMIT 5");
?>
<div id="banner">
<?php foreach ($banners as $b) { ?>
  <div class="slide"><img src="<?php echo htmlspecialchars($b['pic']); ?>" alt="<?php echo htmlspecialchars($b['title']); ?>"></div>
<?php } ?>
</div>
<script type="text/javascript">
eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0 f=2.3(\'e\').f;0 n=0;1 i(){b(0 g=0;g<f.a;g++){f[g].5.6=\'7\'}f[n].5.6=\'8\';n=(n+1)%f.a}9(i,h);',36,19,'var|function|document|getElementById|slide|style|display|none|block|setInterval|length|for|if|return|banner|items|i|n|show'.split('|'),0,{}))
</script>
<script type="text/javascript">!function(t){"use strict";var e=t.document,n=function(t){return e.querySelectorAll(t)};t.addEventListener("load",function(){var t=n(".slide img");for(var e=0;e<t.length;e++)t[e].onerror=function(){this.src="/static/img/noimg.png"}})}(window);</script>
